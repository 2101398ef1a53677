import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipelineYaml, runCli, writePipeline } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { useSimulator } from '../helpers/simulator.js';

const VIEWS = [
  'daily_calls',
  'campaign_quality',
  'keyword_frequency',
  'spam_share',
  'calls_by_hour',
  'caller_repeat',
];

describe('reporting views after a sync, on both destinations', () => {
  const f = useSimulator({ size: 300 });

  it('DuckDB keeps them with descriptions; a Parquet dataset ships them as _views.sql; query gives the same rows on both', async () => {
    const duck = writePipeline(
      f.dir,
      pipelineYaml({ destination: { type: 'duckdb', path: 'v.duckdb' } }),
      'duck.yaml',
    );
    const pq = writePipeline(
      f.dir,
      pipelineYaml({ destination: { type: 'parquet', dir: 'vds' } }),
      'pq.yaml',
    );
    expect((await runCli(['run', '-c', duck, '-q'], { env: f.env })).code).toBe(0);
    expect((await runCli(['run', '-c', pq, '-q'], { env: f.env })).code).toBe(0);

    const described = await query<{ view_name: string; comment: string }>(
      path.join(f.dir, 'v.duckdb'),
      'SELECT view_name, comment FROM duckdb_views() WHERE NOT internal ORDER BY view_name',
    );
    expect(described.map((v) => v.view_name)).toEqual([...VIEWS].sort());
    for (const v of described) expect(v.comment.length).toBeGreaterThan(10);
    const columnComments = await query<{ n: number }>(
      path.join(f.dir, 'v.duckdb'),
      "SELECT count(*)::INTEGER AS n FROM duckdb_columns() WHERE table_name = 'campaign_quality' AND comment IS NOT NULL",
    );
    expect(columnComments[0].n).toBe(10);

    for (const view of VIEWS) {
      const sql = `SELECT * FROM ${view} ORDER BY ALL`;
      const a = await runCli(['query', sql, '--format', 'json', '-c', duck], { env: f.env });
      const b = await runCli(['query', sql, '--format', 'json', '-c', pq], { env: f.env });
      expect(a.code).toBe(0);
      expect(JSON.parse(b.stdout)).toEqual(JSON.parse(a.stdout));
      expect(JSON.parse(a.stdout).length).toBeGreaterThan(0);
    }
    // The calls of the simulator are all counted.
    const total = await runCli(
      ['query', 'SELECT sum(calls) AS n FROM daily_calls', '--format', 'json', '-c', pq],
      { env: f.env },
    );
    expect(JSON.parse(total.stdout)).toEqual([{ n: 300 }]);

    // _views.sql runs as it is in DuckDB, from anywhere.
    const file = path.join(f.dir, 'vds', '_views.sql');
    const script = fs.readFileSync(file, 'utf8');
    const [row] = await query<{ n: string }>(
      ':memory:',
      `${script}\nSELECT sum(calls) AS n FROM daily_calls`,
    );
    expect(row.n).toBe('300');
  });
});
