import { describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../connectors/callscaler/simulator/index.js';
import { pipelineYaml, runCli, writePipeline } from '../helpers/cli.js';
import { comparableCall, loadedCalls, query, savedWatermark } from '../helpers/duckdb.js';
import { runYaml } from '../helpers/in-process.js';
import { useSimulator } from '../helpers/simulator.js';

const INCLUDE = ['transcription', 'summary'];
const HOUR = 3_600_000;

async function expectExact(sim: RunningSimulator, from: { duckdb: string } | { parquet: string }) {
  const expected = sim.calls().map((c) => comparableCall(c, INCLUDE));
  const actual = await loadedCalls(from, INCLUDE);
  expect(actual.length).toBe(expected.length);
  expect(actual).toEqual(expected);
}

describe('incremental sync', () => {
  const fixture = useSimulator({ seed: 11, size: 3000 });

  it('the second run asks only for updated_since and transfers only the changes', async () => {
    const { sim, dir, env } = fixture;
    const db = fixture.path('inc.duckdb');
    const cfg = writePipeline(dir, pipelineYaml({ destination: { type: 'duckdb', path: db } }), 'inc.yaml');
    const first = await runCli(['run', '-c', cfg, '--json', '-q'], { env });
    expect(first.code).toBe(0);
    const firstSummary = JSON.parse(first.stdout);
    expect(firstSummary.streams[0].mode).toBe('backfill');
    expect(firstSummary.streams[0].rows).toBe(3000);

    const { added, changed } = sim.mutate({ add: 100, change: 50 });
    expect(added.length).toBe(100);
    expect(changed.length).toBe(50);
    const before = sim.requestLog.length;
    const second = await runCli(['run', '-c', cfg, '--json', '-q'], { env });
    expect(second.code).toBe(0);
    const summary = JSON.parse(second.stdout);
    expect(summary.streams[0].mode).toBe('incremental');
    expect(summary.streams[0].received).toBe(150);
    const requests = sim.requestLog.slice(before);
    expect(requests.length).toBeGreaterThan(0);
    for (const r of requests) expect(r.query.updated_since).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await expectExact(sim, { duckdb: db });

    const runs = await query<{ status: string; n: number }>(
      db,
      'SELECT status, count(*)::INTEGER AS n FROM _sync_runs GROUP BY status',
    );
    expect(runs).toEqual([{ status: 'succeeded', n: 2 }]);
  });

  it.each([
    ['ahead of', 5 * HOUR],
    ['behind', -5 * HOUR],
  ])('a local clock %s the provider’s still gives exact data', async (_label, skew) => {
    const { sim, env } = fixture;
    const db = fixture.path(`skew${skew}.duckdb`);
    const yaml = pipelineYaml({ destination: { type: 'duckdb', path: db } });
    const clock = () => Date.now() + skew;
    await runYaml(yaml, env, { clock });
    sim.mutate({ add: 20, change: 20 });
    const second = await runYaml(yaml, env, { clock });
    expect(second.streams[0].mode).toBe('incremental');
    expect(second.streams[0].received).toBeGreaterThanOrEqual(40);
    await expectExact(sim, { duckdb: db });
  });

  it('sync: full replaces the table with a complete snapshot', async () => {
    const { sim, env } = fixture;
    const db = fixture.path('full.duckdb');
    const yaml = pipelineYaml({ sync: 'full', destination: { type: 'duckdb', path: db } });
    await runYaml(yaml, env);
    sim.mutate({ change: 30 });
    const second = await runYaml(yaml, env);
    expect(second.streams[0].mode).toBe('full');
    expect(second.streams[0].rows).toBe(sim.calls().length);
    await expectExact(sim, { duckdb: db });
  });

  it('run --start-date/--end-date reloads one range idempotently and leaves the watermark alone', async () => {
    const { sim, env } = fixture;
    const db = fixture.path('range.duckdb');
    const yaml = pipelineYaml({ destination: { type: 'duckdb', path: db } });
    const range = { start: '2026-09-01', end: '2026-09-15' };
    const a = await runYaml(yaml, env, { range });
    const b = await runYaml(yaml, env, { range });
    expect(a.streams[0].mode).toBe('range');
    expect(b.streams[0].rows).toBe(a.streams[0].rows);
    const inRange = sim.calls().filter((c) => c.created_at >= '2026-09-01' && c.created_at < '2026-09-15');
    expect(a.streams[0].rows).toBe(inRange.length);
    const [count] = await query<{ n: number; d: number }>(
      db,
      'SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS d FROM calls',
    );
    expect(count).toEqual({ n: inRange.length, d: inRange.length });
    expect(await savedWatermark(db)).toBeNull();
  });
});

describe('parallel windows', () => {
  const fixture = useSimulator({ seed: 21, size: 3000, faults: { latencyMs: 20 } });

  it('concurrency 8 gives the same table as concurrency 1', async () => {
    const results = [];
    for (const concurrency of [1, 8]) {
      const db = fixture.path(`c${concurrency}.duckdb`);
      const yaml = pipelineYaml({
        destination: { type: 'duckdb', path: db },
        sourceExtra: `  concurrency: ${concurrency}\n  requests_per_second: 1000`,
        streamExtra: '    window_days: 3',
      });
      const summary = await runYaml(yaml, fixture.env);
      expect(summary.streams[0].windows).toBeGreaterThan(30);
      results.push(await loadedCalls({ duckdb: db }, INCLUDE));
    }
    expect(results[0].length).toBe(3000);
    expect(results[1]).toEqual(results[0]);
  });
});
