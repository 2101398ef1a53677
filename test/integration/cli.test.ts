// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} references in pipeline files are what these tests are about
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { callsSchema } from '../../connectors/callscaler/schema.js';
import { callscalerPipelineSchema } from '../../connectors/callscaler/streams.js';
import { parseConfig } from '../../src/config/load.js';
import { collect, pipelineYaml, ROOT, runCli, spawnCli, tempDir, writePipeline } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { useSimulator } from '../helpers/simulator.js';

const SUMMARY_KEYS = [
  'status',
  'run_id',
  'pipeline',
  'started_at',
  'duration_ms',
  'requests',
  'retries',
  'streams',
];

/** The one JSON line `run --json` prints, parsed; fails when stdout is anything else. */
function summaryOf(stdout: string): Record<string, unknown> {
  const lines = stdout.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  const s = JSON.parse(lines[0]) as Record<string, unknown>;
  for (const k of SUMMARY_KEYS) expect(s).toHaveProperty(k);
  for (const k of Object.keys(s)) expect(k).toMatch(/^[a-z_]+$/);
  return s;
}

describe('scheduler safety: a bad command line does nothing and exits 2', () => {
  const f = useSimulator({ size: 50 });

  it.each([
    [['run', '--full-refreshh'], /Unknown argument: full-refreshh/],
    [
      ['run', '--start_date', '2026-01-01'],
      /Unknown argument: start_date \(did you mean: --start_date -> --start-date\?\)/,
    ],
    [['rn'], /unknown command "rn" \(did you mean run\?\)/],
    [
      ['run', '--start-date', '2026-02-30', '--end-date', '2026-03-10'],
      /--start-date: expected a calendar date YYYY-MM-DD, got "2026-02-30"/,
    ],
    [
      ['run', '--start-date', '2026-03-10', '--end-date', '2026-03-01'],
      /--start-date 2026-03-10 must be before --end-date 2026-03-01/,
    ],
    [['run', '--start-date', '2026-03-10'], /--start-date and --end-date go together/],
    [
      ['run', '--full-refresh', '--start-date', '2026-03-01', '--end-date', '2026-03-10'],
      /--full-refresh replaces all of an account's rows: it does not take --start-date\/--end-date/,
    ],
    [['run', '--log-format', 'xml'], /Invalid values:[\s\S]*log-format/],
    [['query'], /Missing required argument: sql/],
  ])('%j', async (args, message) => {
    const dir = tempDir();
    const cfg = writePipeline(dir, pipelineYaml({ destination: { type: 'duckdb', path: './out/x.duckdb' } }));
    const before = f.sim.requestCount;
    const r = await runCli([...args, '-c', cfg], { env: f.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(f.sim.requestCount).toBe(before);
    expect(fs.readdirSync(dir)).toEqual(['pipeline.yaml']);
  });
});

describe('run: exit codes and the JSON summary', () => {
  const f = useSimulator({ size: 300 });

  it('0: succeeds, and --json prints one snake_case line with the rows loaded', async () => {
    fs.mkdirSync(f.path('ok'), { recursive: true });
    const file = writePipeline(
      f.path('ok'),
      pipelineYaml({ destination: { type: 'duckdb', path: 'ok.duckdb' } }),
    );
    const r = await runCli(['run', '-c', file, '--json', '-q'], { env: f.env });
    expect(r.code).toBe(0);
    const s = summaryOf(r.stdout);
    expect(s).toMatchObject({ status: 'succeeded', pipeline: 'test_pipeline', retries: 0 });
    expect(s.streams).toEqual([
      expect.objectContaining({
        stream: 'calls',
        account: 'default',
        mode: 'backfill',
        rows: 300,
        received: 300,
        rejected: 0,
      }),
    ]);
    expect(typeof (s.streams as { watermark: string }[])[0].watermark).toBe('string');
    // The same record is in _sync_runs.details.
    const [run] = await query<{ details: string }>(
      path.join(f.path('ok'), 'ok.duckdb'),
      'SELECT CAST(details AS VARCHAR) AS details FROM _sync_runs',
    );
    expect(JSON.parse(run.details)).toEqual(s);
  });

  it('a range run (--start-date/--end-date) loads the calls created in it, and leaves the incremental watermark alone', async () => {
    fs.mkdirSync(f.path('range'), { recursive: true });
    const file = writePipeline(
      f.path('range'),
      pipelineYaml({ destination: { type: 'duckdb', path: 'range.duckdb' } }),
    );
    const days = [...new Set(f.sim.calls().map((c) => c.created_at.slice(0, 10)))].sort();
    const [start, end] = [days[2], days[Math.min(days.length - 1, 12)]];
    const inRange = f.sim
      .calls()
      .filter((c) => c.created_at.slice(0, 10) >= start && c.created_at.slice(0, 10) < end)
      .map((c) => c.id)
      .sort();
    expect(inRange.length).toBeGreaterThan(0);
    const r = await runCli(['run', '-c', file, '--start-date', start, '--end-date', end, '--json', '-q'], {
      env: f.env,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(summaryOf(r.stdout).streams).toEqual([
      expect.objectContaining({ mode: 'range', rows: inRange.length, rejected: 0 }),
    ]);
    const db = path.join(f.path('range'), 'range.duckdb');
    const ids = await query<{ id: string }>(db, 'SELECT CAST(id AS VARCHAR) AS id FROM calls ORDER BY id');
    expect(ids.map((x) => x.id)).toEqual(inRange);
    // The next plain run is still a backfill of everything: a range does not move the watermark.
    const next = await runCli(['run', '-c', file, '--json', '-q'], { env: f.env });
    expect(next.code).toBe(0);
    expect(summaryOf(next.stdout).streams).toEqual([expect.objectContaining({ mode: 'backfill' })]);
    const [{ n }] = await query<{ n: bigint }>(db, 'SELECT count(*) AS n FROM calls');
    expect(Number(n)).toBe(300);
  });

  it('3: a refused key exits 3, with one parseable JSON line naming the error and no key anywhere', async () => {
    fs.mkdirSync(f.path('auth'), { recursive: true });
    const file = writePipeline(
      f.path('auth'),
      pipelineYaml({ destination: { type: 'duckdb', path: 'a.duckdb' } }),
    );
    const key = 'cs_key_WRONG_0123456789';
    const r = await runCli(['run', '-c', file, '--json', '-q'], {
      env: { ...f.env, CALLSCALER_API_KEY: key },
    });
    expect(r.code).toBe(3);
    const s = summaryOf(r.stdout);
    expect(s).toMatchObject({ status: 'failed', error: { code: 'CS_AUTH' } });
    expect((s.error as { message: string }).message).toMatch(/authentication failed \(HTTP 401\)/);
    expect(r.stderr).toMatch(/error \[CS_AUTH\]/);
    expect(`${r.stdout}${r.stderr}`).not.toContain(key);
  });

  it('2: a config error exits 2 with each problem on its own line, file and line number, and --json still prints', async () => {
    fs.mkdirSync(f.path('cfg'), { recursive: true });
    const yaml = pipelineYaml({
      destination: { type: 'duckdb', path: '${OUT_DIR}/x.duckdb' },
      streamExtra: '    extrct: list\n    window_days: 0',
    });
    const file = writePipeline(f.path('cfg'), yaml);
    const r = await runCli(['run', '-c', file, '--json'], { env: f.env });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    const lineOf = (text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(lines).toEqual([
      `callscaler-sync: error [CS_CONFIG]: ${file}:${lineOf('extrct')}: streams.calls.extrct: unknown key, did you mean "extract"? (valid keys: extract, sync, include, start_date, end_date, window_days, lookback_minutes, max_rejected, filters, timezone, pii, pii_salt)`,
      `callscaler-sync: error [CS_CONFIG]: ${file}:${lineOf('window_days')}: streams.calls.window_days: expected auto or an integer from 1 to 366, got 0`,
      `callscaler-sync: error [CS_CONFIG]: ${file}:${lineOf('${OUT_DIR}')}: destination.path: \${OUT_DIR} is not set`,
    ]);
    expect(summaryOf(r.stdout)).toMatchObject({
      status: 'failed',
      pipeline: null,
      error: { code: 'CS_CONFIG' },
    });
    expect(fs.readdirSync(f.path('cfg'))).toEqual(['pipeline.yaml']);
  });

  it('75: an API that keeps failing exits 75 (worth retrying later); the JSON line says so', async () => {
    fs.mkdirSync(f.path('down'), { recursive: true });
    const file = writePipeline(
      f.path('down'),
      pipelineYaml({ destination: { type: 'duckdb', path: 'd.duckdb' }, sourceExtra: '  max_retries: 1' }),
    );
    f.sim.setFaults({
      failAtRequests: Array.from({ length: 50 }, (_, i) => f.sim.requestCount + i + 1),
      failStatus: 503,
    });
    try {
      const r = await runCli(['run', '-c', file, '--json', '-q'], { env: f.env });
      expect(r.code).toBe(75);
      expect(summaryOf(r.stdout)).toMatchObject({ status: 'failed', error: { code: 'CS_HTTP_RETRIES' } });
    } finally {
      f.sim.resetFaults();
    }
  });

  it('1: data that must be looked at (over max_rejected) exits 1', async () => {
    fs.mkdirSync(f.path('data'), { recursive: true });
    const file = writePipeline(
      f.path('data'),
      pipelineYaml({ destination: { type: 'duckdb', path: 'b.duckdb' }, sourceExtra: '  max_retries: 0' }),
    );
    // Requests 1 and 2 are the probe; 3 is a window's first page.
    f.sim.setFaults({ malformedAtRequests: [f.sim.requestCount + 3] });
    try {
      const r = await runCli(['run', '-c', file, '--json', '-q'], { env: f.env });
      expect(r.code).toBe(1);
      expect(summaryOf(r.stdout)).toMatchObject({ status: 'failed', error: { code: 'CS_HTTP_BODY' } });
    } finally {
      f.sim.resetFaults();
    }
  });

  it('4: a destination held by another run exits 4 naming the holder; --json still prints one line', async () => {
    fs.mkdirSync(f.path('lock'), { recursive: true });
    const file = writePipeline(f.path('lock'), pipelineYaml({ destination: { type: 'parquet', dir: 'ds' } }));
    const lockFile = path.join(f.path('lock'), 'ds', '.lock');
    fs.mkdirSync(path.dirname(lockFile), { recursive: true });
    // A live holder: this test's own process.
    fs.writeFileSync(
      lockFile,
      JSON.stringify({
        pid: process.pid,
        hostname: (await import('node:os')).hostname(),
        started_at: new Date().toISOString(),
        token: 'x',
      }),
    );
    const r = await runCli(['run', '-c', file, '--json', '-q'], { env: f.env });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(new RegExp(`another run holds .* \\(pid ${process.pid}`));
    expect(summaryOf(r.stdout)).toMatchObject({ status: 'failed', error: { code: 'CS_LOCKED' } });
  });

  it('--wait says once that it waits and for whom; SIGTERM ends the wait at once, and the lock holder keeps its lock', async () => {
    fs.mkdirSync(f.path('wait'), { recursive: true });
    const file = writePipeline(f.path('wait'), pipelineYaml({ destination: { type: 'parquet', dir: 'ds' } }));
    const lockFile = path.join(f.path('wait'), 'ds', '.lock');
    fs.mkdirSync(path.dirname(lockFile), { recursive: true });
    const held = JSON.stringify({
      pid: process.pid,
      hostname: (await import('node:os')).hostname(),
      started_at: new Date().toISOString(),
      token: 'x',
    });
    fs.writeFileSync(lockFile, held);
    const child = spawnCli(['run', '-c', file, '--wait', '--json'], { env: f.env });
    const done = collect(child);
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr?.on('data', (d) => {
        stderr += String(d);
        if (stderr.includes('waiting')) resolve();
      });
    });
    const since = Date.now();
    child.kill('SIGTERM');
    const r = await done;
    expect(Date.now() - since).toBeLessThan(5000);
    expect(stderr).toMatch(new RegExp(`waiting \\(--wait\\): .*ds is held by pid ${process.pid}`));
    expect(stderr.match(/waiting \(--wait\)/g)).toHaveLength(1);
    expect(r.code).not.toBe(0);
    expect(summaryOf(r.stdout)).toMatchObject({ status: 'failed' });
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(held);
  });

  it('a relative destination path lands beside the pipeline file, whatever the working directory', async () => {
    const dir = tempDir();
    const file = writePipeline(
      dir,
      pipelineYaml({ destination: { type: 'duckdb', path: './out/rel.duckdb' } }),
    );
    const elsewhere = tempDir();
    const r = await runCli(['run', '-c', file, '-q'], { env: f.env, cwd: elsewhere });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'out', 'rel.duckdb'))).toBe(true);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it('.env beside the pipeline file fills unset variables and never overrides the environment', async () => {
    const dir = tempDir();
    const file = writePipeline(
      dir,
      pipelineYaml({ destination: { type: 'duckdb', path: '${OUT_NAME}.duckdb' } }),
    );
    fs.writeFileSync(
      path.join(dir, '.env'),
      `OUT_NAME=from_dotenv\nCALLSCALER_API_KEY=wrong-key-from-dotenv\n`,
    );
    const r = await runCli(['run', '-c', file, '-q'], { env: f.env });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'from_dotenv.duckdb'))).toBe(true);
  });

  it('--log-format json writes one JSON object per stderr line; --log-level warn keeps only warnings', async () => {
    const dir = tempDir();
    const file = writePipeline(dir, pipelineYaml({ destination: { type: 'duckdb', path: 'j.duckdb' } }));
    const r = await runCli(['run', '-c', file, '--log-format', 'json'], { env: f.env });
    expect(r.code).toBe(0);
    const events = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: string; event: string; msg: string });
    expect(events.map((e) => e.event)).toEqual(
      expect.arrayContaining(['run-start', 'stream-start', 'window-done', 'stream-done']),
    );
    for (const e of events) expect(Object.keys(e)).toEqual(expect.arrayContaining(['ts', 'level', 'msg']));
    const quiet = await runCli(['run', '-c', file, '--log-format', 'json', '--log-level', 'warn'], {
      env: f.env,
    });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });
});

describe('check', () => {
  const f = useSimulator({ size: 20 });

  it('exits 0 naming what it checked, and creates nothing', async () => {
    const dir = tempDir();
    const file = writePipeline(dir, pipelineYaml({ destination: { type: 'duckdb', path: 'new/c.duckdb' } }));
    const before = f.sim.requestCount;
    const r = await runCli(['check', '-c', file], { env: f.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^config ok: .*pipeline\.yaml \(pipeline test_pipeline, streams: calls\)$/m);
    expect(r.stdout).toMatch(
      new RegExp(
        `^destination ok: duckdb ${dir}/new/c\\.duckdb is writable \\(will be created under ${dir}\\)$`,
        'm',
      ),
    );
    expect(r.stdout).toMatch(/^api ok: account default: calls answered \(provider clock /m);
    expect(f.sim.requestCount - before).toBe(1);
    expect(fs.readdirSync(dir)).toEqual(['pipeline.yaml']);
  });

  it('exits 3 with a refused key, and never prints it', async () => {
    const file = writePipeline(
      tempDir(),
      pipelineYaml({ destination: { type: 'duckdb', path: 'c.duckdb' } }),
    );
    const key = 'cs_key_NOT_THE_RIGHT_ONE_42';
    const r = await runCli(['check', '-c', file], { env: { ...f.env, CALLSCALER_API_KEY: key } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/authentication failed/);
    expect(`${r.stdout}${r.stderr}`).not.toContain(key);
  });

  it('exits 75 when the API cannot be reached', async () => {
    const file = writePipeline(
      tempDir(),
      pipelineYaml({ destination: { type: 'duckdb', path: 'c.duckdb' }, sourceExtra: '  max_retries: 0' }),
    );
    const r = await runCli(['check', '-c', file], {
      env: { ...f.env, CALLSCALER_BASE_URL: 'http://127.0.0.1:1/api/v1' },
    });
    expect(r.code).toBe(75);
    expect(r.stderr).toMatch(/connection refused/);
  });

  it('exits 2 when the destination cannot be written', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'afile'), '');
    const file = writePipeline(dir, pipelineYaml({ destination: { type: 'parquet', dir: 'afile/ds' } }));
    const r = await runCli(['check', '-c', file], { env: f.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/destination\.dir: .*afile is a file/);
  });
});

describe('init and schema', () => {
  it('init writes a starter that validates, equal to the repository pipeline.yaml, and never overwrites', async () => {
    const dir = tempDir();
    const r = await runCli(['init', '--dir', dir]);
    expect(r.code).toBe(0);
    const written = fs.readFileSync(path.join(dir, 'pipeline.yaml'), 'utf8');
    const repo = fs.readFileSync(path.join(ROOT, 'pipeline.yaml'), 'utf8');
    expect(written.split('\n').slice(1)).toEqual(repo.split('\n').slice(1));
    expect(written.split('\n')[0]).toMatch(
      /^# yaml-language-server: \$schema=.*docs\/pipeline\.schema\.json$/,
    );
    const cfg = parseConfig(written, 'init', callscalerPipelineSchema, { CALLSCALER_API_KEY: 'cs_key_x' });
    expect(cfg.streams.calls?.extract).toBe('list');
    const again = await runCli(['init', '--dir', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists; not overwritten/);
    expect(fs.readFileSync(path.join(dir, 'pipeline.yaml'), 'utf8')).toBe(written);
  });

  it('schema --format dbt is a sources.yml naming every column, with tests on id and freshness on _synced_at', async () => {
    const r = await runCli(['schema', '--format', 'dbt', '--dbt-schema', 'raw_cs']);
    expect(r.code).toBe(0);
    const doc = parseYaml(r.stdout) as {
      version: number;
      sources: { name: string; schema: string; tables: Record<string, unknown>[] }[];
    };
    expect(doc.version).toBe(2);
    const [source] = doc.sources;
    expect(source).toMatchObject({ name: 'callscaler', schema: 'raw_cs' });
    const calls = source.tables.find((t) => t.name === 'calls') as {
      loaded_at_field: string;
      freshness: object;
      columns: { name: string; description: string; data_tests?: string[] }[];
    };
    expect(calls.loaded_at_field).toBe('_synced_at');
    expect(calls.freshness).toEqual({
      warn_after: { count: 24, period: 'hour' },
      error_after: { count: 48, period: 'hour' },
    });
    expect(calls.columns.map((c) => c.name)).toEqual(callsSchema.columns.map((c) => c.name));
    for (const c of calls.columns) expect(c.description.length).toBeGreaterThan(3);
    expect(calls.columns.find((c) => c.name === 'id')?.data_tests).toEqual(['unique', 'not_null']);
  });

  it('schema --format sql is DDL DuckDB runs; json and text list the same columns', async () => {
    const sql = await runCli(['schema', '--format', 'sql']);
    expect(sql.code).toBe(0);
    const rows = await query<{ n: number }>(
      ':memory:',
      `${sql.stdout}\nSELECT count(*)::INTEGER AS n FROM duckdb_columns() WHERE table_name = 'calls' AND comment IS NOT NULL`,
    );
    expect(rows[0].n).toBe(callsSchema.columns.length);
    const json = JSON.parse((await runCli(['schema', '--format', 'json'])).stdout) as {
      table: string;
      columns: { name: string; type: string }[];
    }[];
    expect(json[0].columns.map((c) => c.name)).toEqual(callsSchema.columns.map((c) => c.name));
    expect(json[0].columns.find((c) => c.name === 'created_at')?.type).toBe('TIMESTAMPTZ');
    const text = (await runCli(['schema'])).stdout;
    for (const c of callsSchema.columns) expect(text).toMatch(new RegExp(`^  ${c.name}\\s`, 'm'));
  });
});

describe.each(['duckdb', 'parquet'] as const)('state, runs and query on %s', (kind) => {
  const f = useSimulator({ size: 120 });
  const dest =
    kind === 'duckdb'
      ? ({ type: 'duckdb', path: 'q.duckdb' } as const)
      : ({ type: 'parquet', dir: 'ds' } as const);
  const setup = async () => {
    const dir = tempDir();
    const file = writePipeline(dir, pipelineYaml({ destination: dest }));
    return { dir, file };
  };

  it('before any run: state and runs say so, query explains; none needs the API key', async () => {
    const { file } = await setup();
    const noKey = { CALLSCALER_BASE_URL: f.sim.url };
    expect((await runCli(['state', 'show', '-c', file], { env: noKey })).stdout).toMatch(
      /no state for pipeline test_pipeline/,
    );
    expect((await runCli(['runs', '-c', file, '--json'], { env: noKey })).stdout).toBe('[]\n');
    const q = await runCli(['query', 'SELECT 1', '-c', file], { env: noKey });
    expect(q.code).toBe(1);
    expect(q.stderr).toMatch(/nothing has been synced to .* yet/);
  });

  it('after runs: query in table, csv and json; runs lists them newest first; state show and reset', async () => {
    const { file } = await setup();
    expect((await runCli(['run', '-c', file, '-q'], { env: f.env })).code).toBe(0);
    expect((await runCli(['run', '-c', file, '-q'], { env: f.env })).code).toBe(0);
    const noKey = { CALLSCALER_BASE_URL: f.sim.url };

    const sql = 'SELECT count(*) AS calls, max(value_cents) AS top_value FROM calls';
    const table = await runCli(['query', sql, '-c', file], { env: noKey });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^calls\s+top_value\n-+\s+-+\n\s*120\s+\d+\n\(1 row\)\n$/);
    const csv = await runCli(['query', "SELECT 'a,\"b' AS s, 1 AS n", '--format', 'csv', '-c', file], {
      env: noKey,
    });
    expect(csv.stdout).toBe('s,n\n"a,""b",1\n');
    const json = await runCli(
      [
        'query',
        "SELECT 9007199254740993::BIGINT AS big, 42::BIGINT AS small, TIMESTAMPTZ '2026-03-01 10:00:00+00' AS t",
        '--format',
        'json',
        '-c',
        file,
      ],
      { env: noKey },
    );
    expect(JSON.parse(json.stdout)).toEqual([
      { big: '9007199254740993', small: 42, t: '2026-03-01T10:00:00.000Z' },
    ]);

    const runs = JSON.parse((await runCli(['runs', '-c', file, '--json'], { env: noKey })).stdout) as {
      status: string;
      rows: number;
      started_at: string;
    }[];
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(runs[0].started_at > runs[1].started_at).toBe(true);
    expect(runs[1].rows).toBe(120);
    const limited = await runCli(['runs', '-c', file, '--limit', '1'], { env: noKey });
    expect(limited.stdout).toMatch(/\(1 row\)/);

    const shown = await runCli(['state', 'show', '-c', file], { env: noKey });
    expect(shown.stdout).toMatch(/^calls \[default\]: watermark \d{4}-\d{2}-\d{2}T/m);
    const stateJson = JSON.parse(
      (await runCli(['state', 'show', '--json', '-c', file], { env: noKey })).stdout,
    ) as { stream: string; value: { watermark: string } }[];
    expect(stateJson).toHaveLength(1);
    expect(stateJson[0]).toMatchObject({ stream: 'calls', account: 'default' });

    const refused = await runCli(['state', 'reset', '-c', file], { env: noKey });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/pass --yes/);
    const reset = await runCli(['state', 'reset', '--yes', '-c', file], { env: noKey });
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/reset 1 state record\(s\)/);
    expect((await runCli(['state', 'show', '-c', file], { env: noKey })).stdout).toMatch(/no state/);
    // The rows stay, and the next run loads history again without doubling anything.
    const again = await runCli(['run', '-c', file, '-q', '--json'], { env: f.env });
    expect(summaryOf(again.stdout)).toMatchObject({
      streams: [expect.objectContaining({ mode: 'backfill' })],
    });
    const count = await runCli(
      ['query', 'SELECT count(*) AS n, count(DISTINCT id) AS ids FROM calls', '--format', 'json', '-c', file],
      { env: noKey },
    );
    expect(JSON.parse(count.stdout)).toEqual([{ n: 120, ids: 120 }]);
  });
});

describe('destination.schema', () => {
  const f = useSimulator({ size: 40 });
  it('puts every table in the named schema of the DuckDB file, and query reads there', async () => {
    const dir = tempDir();
    const yaml = pipelineYaml({ destination: { type: 'duckdb', path: 's.duckdb' } }).replace(
      '  path: s.duckdb',
      '  path: s.duckdb\n  schema: raw_callscaler',
    );
    const file = writePipeline(dir, yaml);
    expect((await runCli(['run', '-c', file, '-q'], { env: f.env })).code).toBe(0);
    const tables = await query<{ t: string }>(
      path.join(dir, 's.duckdb'),
      "SELECT schema_name || '.' || table_name AS t FROM duckdb_tables() ORDER BY t",
    );
    expect(tables.map((r) => r.t)).toEqual([
      'raw_callscaler._rejected',
      'raw_callscaler._sync_runs',
      'raw_callscaler._sync_state',
      'raw_callscaler.call_recordings',
      'raw_callscaler.calls',
    ]);
    const views = await query<{ v: string }>(
      path.join(dir, 's.duckdb'),
      "SELECT schema_name || '.' || view_name AS v FROM duckdb_views() WHERE NOT internal ORDER BY v",
    );
    expect(views.map((r) => r.v)).toEqual(
      [
        'caller_repeat',
        'calls_by_hour',
        'campaign_quality',
        'daily_calls',
        'keyword_frequency',
        'spam_share',
      ].map((v) => `raw_callscaler.${v}`),
    );
    const q = await runCli(['query', 'SELECT count(*) AS n FROM calls', '--format', 'json', '-c', file], {
      env: f.env,
    });
    expect(JSON.parse(q.stdout)).toEqual([{ n: 40 }]);
  });
});
