import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipelineYaml, runCli, writePipeline } from '../helpers/cli.js';
import { comparableCall, loadedCalls, query } from '../helpers/duckdb.js';
import { useSimulator } from '../helpers/simulator.js';

const INCLUDE = ['transcription', 'summary'];

describe('run: simulator over HTTP -> CLI child process -> DuckDB / Parquet', () => {
  const fixture = useSimulator({ seed: 7, size: 2500 });

  it('loads every call into DuckDB, field by field equal to the simulator', async () => {
    const { sim, dir, env } = fixture;
    const db = path.join(dir, 'calls.duckdb');
    const cfg = writePipeline(dir, pipelineYaml({ destination: { type: 'duckdb', path: db } }), 'duck.yaml');
    const res = await runCli(['run', '-c', cfg], { env });
    expect(res.stderr).not.toContain('error');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/2500 rows loaded/);

    const expected = sim.calls().map((c) => comparableCall(c, INCLUDE));
    const actual = await loadedCalls({ duckdb: db }, INCLUDE);
    expect(actual.length).toBe(2500);
    for (let i = 0; i < expected.length; i++) expect(actual[i]).toEqual(expected[i]);

    const [types] = await query<Record<string, string>>(
      db,
      `SELECT typeof(created_at) AS created_at, typeof(value_cents) AS value_cents, typeof(keywords_spotted) AS kw,
              typeof(robo_score) AS robo, typeof(qualified_ai) AS q, typeof(call_date) AS d FROM calls LIMIT 1`,
    );
    expect(types).toEqual({
      created_at: 'TIMESTAMP WITH TIME ZONE',
      value_cents: 'BIGINT',
      kw: 'VARCHAR[]',
      robo: 'DOUBLE',
      q: 'BOOLEAN',
      d: 'DATE',
    });
    const [derived] = await query<Record<string, number>>(
      db,
      `SELECT count(*) FILTER (WHERE call_date <> (created_at AT TIME ZONE 'UTC')::DATE)::INTEGER AS bad_dates,
              count(*) FILTER (WHERE channel IS NULL)::INTEGER AS no_channel,
              count(*) FILTER (WHERE _run_id IS NULL OR _synced_at IS NULL OR _extract <> 'list')::INTEGER AS bad_meta,
              count(*) FILTER (WHERE json_extract_string(_extra, '$.number_id') IS NULL)::INTEGER AS no_extra,
              (count(DISTINCT id) - count(*))::INTEGER AS dup_ids
       FROM calls`,
    );
    expect(derived).toEqual({ bad_dates: 0, no_channel: 0, bad_meta: 0, no_extra: 0, dup_ids: 0 });
  });

  it('loads the same calls into a Parquet dataset partitioned by call_date', async () => {
    const { sim, dir, env } = fixture;
    const out = path.join(dir, 'parquet');
    const cfg = writePipeline(dir, pipelineYaml({ destination: { type: 'parquet', dir: out } }), 'pq.yaml');
    const res = await runCli(['run', '-c', cfg], { env });
    expect(res.code).toBe(0);
    const expected = sim.calls().map((c) => comparableCall(c, INCLUDE));
    const actual = await loadedCalls({ parquet: out }, INCLUDE);
    expect(actual).toEqual(expected);
    const partitions = await query<{ n: number }>(
      ':memory:',
      `SELECT count(DISTINCT regexp_extract(filename, 'call_date=([0-9-]+)', 1))::INTEGER AS n
       FROM read_parquet('${out}/calls/**/*.parquet', filename=true)`,
    );
    expect(partitions[0].n).toBeGreaterThan(30);
  });

  it('a wrong key fails fast with an authentication message and never prints the key', async () => {
    const { dir, env } = fixture;
    const key = 'cs_key_wrong_7f3a9c';
    const db = path.join(dir, 'wrong.duckdb');
    const cfg = writePipeline(dir, pipelineYaml({ destination: { type: 'duckdb', path: db } }), 'wrong.yaml');
    const res = await runCli(['run', '-c', cfg], { env: { ...env, CALLSCALER_API_KEY: key } });
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/authentication failed \(HTTP 401\)/);
    expect(res.stdout + res.stderr).not.toContain(key);
    expect(res.stdout + res.stderr).not.toContain('7f3a9c');
  });

  it('a missing config file exits 2 with the path', async () => {
    const res = await runCli(['run', '-c', fixture.path('nope.yaml')], { env: fixture.env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('config file not found');
    expect(res.stderr).toContain('nope.yaml');
  });
});
