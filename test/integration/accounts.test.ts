// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} references in pipeline files are what these tests are about
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../connectors/callscaler/simulator/index.js';
import { runCli, tempDir, writePipeline } from '../helpers/cli.js';
import { comparableCall, query } from '../helpers/duckdb.js';

const yaml = (dest: string, accountsExtra = '') => `version: 1
name: agency
source:
  base_url: \${ACME_URL}
  accounts:
    - { name: acme, api_key: "\${ACME_KEY}" }
    - { name: globex, api_key: "\${GLOBEX_KEY}", base_url: "\${GLOBEX_URL}" }
${accountsExtra}
streams:
  calls:
    include: [summary]
destination:
${dest}
`;

describe.each([
  ['duckdb', '  type: duckdb\n  path: a.duckdb'],
  ['parquet', '  type: parquet\n  dir: ds'],
] as const)('two accounts in one pipeline (%s)', (kind, dest) => {
  let acme: RunningSimulator;
  let globex: RunningSimulator;
  beforeAll(async () => {
    acme = await startSimulator({ seed: 1, size: 150, apiKey: 'cs_key_acme_1234' });
    globex = await startSimulator({ seed: 2, size: 90, apiKey: 'cs_key_globex_5678' });
  });
  afterAll(async () => {
    await acme.close();
    await globex.close();
  });

  const rows = async (dir: string, account: string) => {
    const db = kind === 'duckdb' ? `${dir}/a.duckdb` : ':memory:';
    const table = kind === 'duckdb' ? 'calls' : `read_parquet('${dir}/ds/calls/**/*.parquet')`;
    return query<Record<string, unknown>>(
      db,
      `SELECT id, summary, CAST(_run_id AS VARCHAR) AS run FROM ${table} WHERE account = '${account}' ORDER BY id`,
    );
  };

  it('one account with a wrong key: the other lands exactly, the run fails per account (exit 3); fixed, the re-run completes it alone', async () => {
    const dir = tempDir();
    const cfg = writePipeline(dir, yaml(dest));
    const env = {
      ACME_URL: acme.url,
      ACME_KEY: acme.apiKey,
      GLOBEX_URL: globex.url,
      GLOBEX_KEY: 'cs_key_WRONG_000000',
    };
    const first = await runCli(['run', '-c', cfg, '--json', '-q'], { env });
    expect(first.code).toBe(3);
    const summary = JSON.parse(first.stdout) as {
      status: string;
      streams: { account: string; rows: number }[];
      failed_accounts: { account: string; code: string; message: string }[];
      error: { code: string; message: string };
    };
    expect(summary.status).toBe('failed');
    expect(summary.streams).toEqual([expect.objectContaining({ account: 'acme', rows: 150 })]);
    expect(summary.failed_accounts).toEqual([
      {
        account: 'globex',
        code: 'CS_AUTH',
        message: expect.stringMatching(/authentication failed \(HTTP 401\)/),
      },
    ]);
    expect(summary.error.code).toBe('CS_AUTH');
    expect(first.stdout + first.stderr).not.toContain('cs_key_WRONG_000000');

    const acmeRows = await rows(dir, 'acme');
    expect(acmeRows.map((r) => r.id)).toEqual(acme.calls().map((c) => c.id));
    expect(acmeRows.map((r) => r.summary)).toEqual(
      acme.calls().map((c) => comparableCall(c, ['summary']).summary),
    );
    expect(await rows(dir, 'globex')).toEqual([]);

    const fixed = await runCli(['run', '-c', cfg, '--account', 'globex', '--json', '-q'], {
      env: { ...env, GLOBEX_KEY: globex.apiKey },
    });
    expect(fixed.code).toBe(0);
    expect(JSON.parse(fixed.stdout).streams).toEqual([
      expect.objectContaining({ account: 'globex', rows: 90 }),
    ]);
    expect((await rows(dir, 'globex')).map((r) => r.id)).toEqual(globex.calls().map((c) => c.id));
    // The first account was not touched: same rows, loaded by the first run.
    expect(await rows(dir, 'acme')).toEqual(acmeRows);
    const state = await runCli(['state', 'show', '--json', '-c', cfg], { env });
    expect((JSON.parse(state.stdout) as { account: string }[]).map((s) => s.account)).toEqual([
      'acme',
      'globex',
    ]);
  });

  it("run --account needs only that account's key: the others' variables may be unset", async () => {
    const dir = tempDir();
    const cfg = writePipeline(dir, yaml(dest));
    const env = { ACME_URL: acme.url, ACME_KEY: acme.apiKey, GLOBEX_URL: globex.url };
    const all = await runCli(['run', '-c', cfg, '-q'], { env });
    expect(all.code).toBe(2);
    expect(all.stderr).toMatch(
      /pipeline\.yaml:\d+: source\.accounts\[1\]\.api_key: \$\{GLOBEX_KEY\} is not set/,
    );
    const one = await runCli(['run', '-c', cfg, '--account', 'acme', '--json', '-q'], { env });
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).streams).toEqual([expect.objectContaining({ account: 'acme', rows: 150 })]);
    expect(await rows(dir, 'globex')).toEqual([]);
  });

  it("a full refresh of one account replaces that account's rows only", async () => {
    const dir = tempDir();
    const cfg = writePipeline(dir, yaml(dest));
    const env = {
      ACME_URL: acme.url,
      ACME_KEY: acme.apiKey,
      GLOBEX_URL: globex.url,
      GLOBEX_KEY: globex.apiKey,
    };
    expect((await runCli(['run', '-c', cfg, '-q'], { env })).code).toBe(0);
    const before = { acme: await rows(dir, 'acme'), globex: await rows(dir, 'globex') };
    const refresh = await runCli(['run', '-c', cfg, '--account', 'acme', '--full-refresh', '--json', '-q'], {
      env,
    });
    expect(refresh.code).toBe(0);
    expect(JSON.parse(refresh.stdout).streams).toEqual([
      expect.objectContaining({ account: 'acme', mode: 'full', rows: 150 }),
    ]);
    const after = { acme: await rows(dir, 'acme'), globex: await rows(dir, 'globex') };
    expect(after.globex).toEqual(before.globex);
    expect(after.acme.map((r) => r.id)).toEqual(before.acme.map((r) => r.id));
    expect(after.acme.every((r) => r.run !== before.acme[0].run)).toBe(true);
  });
});
