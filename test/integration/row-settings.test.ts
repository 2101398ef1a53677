import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type PipelineOptions, pipelineYaml, runCli, writePipeline } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { destinationIn, sha256Of } from '../helpers/pii.js';
import { useSimulator } from '../helpers/simulator.js';

/**
 * The settings that change stored rows (streams.calls.timezone, pii) through the CLI: call_date in the zone,
 * and the stream fingerprint that refuses to mix rows loaded under other settings unless `--full-refresh`.
 */

const SALT = 'row-settings-salt-2e7b';

/** The reference: Intl's calendar date of an instant in a zone. */
function zoneDate(zone: string, instant: string): string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return format.format(Date.parse(instant));
}

describe('streams.calls.timezone: call_date is the date in the zone', () => {
  const f = useSimulator({ seed: 21, size: 600 });

  it.each([
    ['list', 'duckdb', 'America/Chicago'],
    ['export', 'parquet', 'Europe/London'],
  ] as const)('extract: %s -> %s in %s', async (extract, type, zone) => {
    const dir = f.path(`${extract}-${type}`);
    await fs.mkdir(dir, { recursive: true });
    const { destination, db, from } = destinationIn(dir, type);
    const yaml = pipelineYaml({
      extract,
      destination,
      streamExtra: `    window_days: 30\n    timezone: ${zone}`,
    });
    const r = await runCli(['run', '-c', writePipeline(dir, yaml), '-q'], { env: f.env });
    expect(r.code).toBe(0);

    const source = from('calls', ', filename = true, hive_partitioning = false');
    const partition = type === 'duckdb' ? 'NULL' : `regexp_extract(filename, 'call_date=([0-9-]+)', 1)`;
    const rows = await query<{ id: string; call_date: string; partition: string | null }>(
      db,
      `SELECT id, call_date::VARCHAR AS call_date, ${partition} AS partition FROM ${source} ORDER BY id`,
    );
    const calls = f.sim.calls();
    expect(rows.map((row) => [row.id, row.call_date])).toEqual(
      calls.map((c) => [c.id, zoneDate(zone, c.created_at)]),
    );
    // The calls near midnight UTC are what this is about: there are plenty, on another day than in UTC.
    const shifted = calls.filter((c) => zoneDate(zone, c.created_at) !== c.created_at.slice(0, 10));
    expect(shifted.length).toBeGreaterThan(10);
    // Parquet partitions follow the zone's day too.
    if (type === 'parquet') for (const row of rows) expect(row.partition).toBe(row.call_date);
  });
});

describe('the stream fingerprint: rows loaded under other settings are not mixed with new ones', () => {
  const f = useSimulator({ seed: 22, size: 300 });
  const env = () => ({ ...f.env, CALLSCALER_PII_SALT: SALT });
  const REFUSED =
    /error \[CS_CONFIG\]: test_pipeline\/calls\/default: the stream's settings that change stored rows \(e\.g\. pii, timezone\) differ from those its rows were loaded with; run with --full-refresh to reload them under the new settings, or restore the old ones/;

  function writeWith(
    dir: string,
    destination: PipelineOptions['destination'],
    settings: string,
    name: string,
  ): string {
    const yaml = pipelineYaml({ destination, streamExtra: `    window_days: 30\n${settings}` });
    return writePipeline(dir, yaml, `${name}.yaml`);
  }
  const HASH_NUMBER = `    pii: {caller_number: hash}\n    pii_salt: \${CALLSCALER_PII_SALT}\n`;

  it('DuckDB: a pii change exits 2 and changes nothing; --full-refresh reloads the rows hashed', async () => {
    const dir = f.path('duck');
    await fs.mkdir(dir, { recursive: true });
    const db = path.join(dir, 'calls.duckdb');
    const dest = { type: 'duckdb', path: db } as const;
    const numbers = async () =>
      (
        await query<{ id: string; n: string }>(db, 'SELECT id, caller_number AS n FROM calls ORDER BY id')
      ).map((r) => r.n);
    const calls = f.sim.calls();

    expect((await runCli(['run', '-c', writeWith(dir, dest, '', 'plain'), '-q'], { env: env() })).code).toBe(
      0,
    );
    expect(await numbers()).toEqual(calls.map((c) => c.caller_number));

    const hashed = writeWith(dir, dest, HASH_NUMBER, 'hashed');
    const refused = await runCli(['run', '-c', hashed, '--json'], { env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(REFUSED);
    expect(JSON.parse(refused.stdout)).toMatchObject({ status: 'failed', error: { code: 'CS_CONFIG' } });
    expect(await numbers()).toEqual(calls.map((c) => c.caller_number));

    // A time zone is such a setting too.
    const zoned = await runCli(
      ['run', '-c', writeWith(dir, dest, '    timezone: Asia/Kolkata', 'zoned'), '-q'],
      {
        env: env(),
      },
    );
    expect([zoned.code, zoned.stderr]).toEqual([2, expect.stringMatching(REFUSED)]);

    const refresh = await runCli(['run', '-c', hashed, '--full-refresh', '--json', '-q'], { env: env() });
    expect(refresh.code).toBe(0);
    expect(JSON.parse(refresh.stdout).streams[0]).toMatchObject({ mode: 'full', rows: 300 });
    expect(await numbers()).toEqual(calls.map((c) => sha256Of(SALT, c.caller_number)));
    const [{ e164 }] = await query<{ e164: number }>(
      db,
      'SELECT count(caller_number_e164)::INTEGER AS e164 FROM calls',
    );
    expect(e164).toBe(0);

    // Under the stored settings an incremental run goes on; another salt is another fingerprint.
    expect((await runCli(['run', '-c', hashed, '-q'], { env: env() })).code).toBe(0);
    const salted = await runCli(['run', '-c', hashed], {
      env: { ...env(), CALLSCALER_PII_SALT: `${SALT}-2` },
    });
    expect([salted.code, salted.stderr]).toEqual([2, expect.stringMatching(REFUSED)]);
    expect(`${salted.stdout}${salted.stderr}`).not.toContain(SALT);
  });

  it('Parquet: a new time zone with --full-refresh moves every row to its new partition, none left behind', async () => {
    const dir = f.path('pq');
    await fs.mkdir(dir, { recursive: true });
    const dest = { type: 'parquet', dir: path.join(dir, 'out') } as const;
    expect((await runCli(['run', '-c', writeWith(dir, dest, '', 'plain'), '-q'], { env: env() })).code).toBe(
      0,
    );

    const zoned = writeWith(dir, dest, '    timezone: Pacific/Kiritimati', 'zoned');
    const refused = await runCli(['run', '-c', zoned], { env: env() });
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(REFUSED)]);
    expect((await runCli(['run', '-c', zoned, '--full-refresh', '-q'], { env: env() })).code).toBe(0);

    const rows = await query<{ id: string; call_date: string; partition: string }>(
      ':memory:',
      `SELECT id, call_date::VARCHAR AS call_date, regexp_extract(filename, 'call_date=([0-9-]+)', 1) AS partition
       FROM read_parquet('${dest.dir}/calls/**/*.parquet', filename = true, hive_partitioning = false) ORDER BY id`,
    );
    const calls = f.sim.calls();
    expect(rows.map((r) => [r.id, r.call_date])).toEqual(
      calls.map((c) => [c.id, zoneDate('Pacific/Kiritimati', c.created_at)]),
    );
    // Kiritimati is UTC+14: most calls are on another day than in UTC.
    const moved = rows.filter((r, i) => r.call_date !== calls[i].created_at.slice(0, 10));
    expect(moved.length).toBeGreaterThan(calls.length / 2);
    for (const row of rows) expect(row.partition).toBe(row.call_date);
  });
});
