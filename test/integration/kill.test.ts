import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABANDONED_MESSAGE } from '../../src/load/destination.js';
import type { PassState } from '../../src/pipeline/state.js';
import { collect, pipelineYaml, runCli, spawnCli, writePipeline } from '../helpers/cli.js';
import { comparableCall, loadedCalls, query } from '../helpers/duckdb.js';
import { useSimulator } from '../helpers/simulator.js';

const INCLUDE = ['transcription', 'summary'];

/** Starts a run and SIGKILLs it `delayMs` after its `afterCommits`-th committed window. */
async function killMidRun(cfg: string, env: Record<string, string>, afterCommits: number, delayMs: number) {
  const child = spawnCli(['run', '-c', cfg], { env });
  let commits = 0;
  child.stderr?.on('data', (d: Buffer) => {
    commits += (d.toString().match(/: committed /g) ?? []).length;
    if (commits >= afterCommits) setTimeout(() => child.kill('SIGKILL'), delayMs);
  });
  const res = await collect(child);
  return res;
}

/** The unfinished pass in the saved state (null when there is none). */
async function storedPass(from: { duckdb: string } | { parquet: string }): Promise<PassState | null> {
  const rows =
    'duckdb' in from
      ? await query<{ pass: string | null }>(
          from.duckdb,
          "SELECT json_extract(value, '$.pass')::VARCHAR AS pass FROM _sync_state",
        )
      : await query<{ pass: string | null }>(
          ':memory:',
          `SELECT json_extract(json, '$.value.pass')::VARCHAR AS pass
           FROM read_json_objects('${from.parquet}/_state/*.json') AS t(json)`,
        );
  const text = rows[0]?.pass;
  return text ? (JSON.parse(text) as PassState | null) : null;
}

async function runRecords(
  from: { duckdb: string } | { parquet: string },
): Promise<{ status: string; message: string | null }[]> {
  if ('duckdb' in from) return query(from.duckdb, 'SELECT status, message FROM _sync_runs');
  return query(':memory:', `SELECT status, message FROM read_json('${from.parquet}/_sync_runs/*.json')`);
}

type Fixture = ReturnType<typeof useSimulator>;

const destinations = [
  ['duckdb', (f: Fixture, name: string) => ({ type: 'duckdb' as const, path: f.path(`${name}.duckdb`) })],
  ['parquet', (f: Fixture, name: string) => ({ type: 'parquet' as const, dir: f.path(name) })],
] as const;

/** Kills a run `delayMs` after its `afterCommits`-th commit, re-runs it, and checks the re-run finished the job. */
/** Rows a reader sees in the live calls table (a DuckDB table, or the dataset's files). */
async function liveRows(from: { duckdb: string } | { parquet: string }): Promise<number> {
  if ('duckdb' in from)
    return (await query<{ n: number }>(from.duckdb, 'SELECT count(*)::INT AS n FROM calls'))[0].n;
  const files = fs.existsSync(path.join(from.parquet, 'calls'))
    ? fs
        .readdirSync(path.join(from.parquet, 'calls'), { recursive: true })
        .filter((f) => String(f).endsWith('.parquet'))
    : [];
  return files.length;
}

async function killAndResume(
  fixture: Fixture,
  destination: ReturnType<(typeof destinations)[number][1]>,
  o: { name: string; afterCommits: number; delayMs: number; sourceExtra: string; streamExtra: string },
) {
  const { sim, dir, env } = fixture;
  const from = destination.type === 'duckdb' ? { duckdb: destination.path } : { parquet: destination.dir };
  const cfg = writePipeline(
    dir,
    pipelineYaml({ destination, sourceExtra: o.sourceExtra, streamExtra: o.streamExtra }),
    `${o.name}.yaml`,
  );
  const killed = await killMidRun(cfg, env, o.afterCommits, o.delayMs);
  expect(killed.signal).toBe('SIGKILL');
  const pass = await storedPass(from);
  const done = pass?.done ?? [];
  expect(done.length).toBeGreaterThanOrEqual(o.afterCommits);
  // A first backfill commits into a snapshot: killed before its publish, the live table has no row yet.
  expect(await liveRows(from)).toBe(0);

  const before = sim.requestLog.length;
  const rerun = await runCli(['run', '-c', cfg, '-q', '--json'], { env });
  expect(rerun.stderr).toBe('');
  expect(rerun.code).toBe(0);
  expect(JSON.parse(rerun.stdout).streams[0].windows_skipped).toBe(done.length);
  const fetched = new Set(
    sim.requestLog.slice(before).map((r) => `${r.query.start_date}..${r.query.end_date}`),
  );
  for (const w of done) expect(fetched.has(w)).toBe(false);

  const expected = sim.calls().map((c) => comparableCall(c, INCLUDE));
  expect(await loadedCalls(from, INCLUDE)).toEqual(expected);
  // The killed run is not left "running" in _sync_runs: the re-run marked it failed, and saying why.
  const runs = await runRecords(from);
  expect(runs.map((r) => r.status).sort()).toEqual(['failed', 'succeeded']);
  expect(runs.find((r) => r.status === 'failed')?.message).toBe(ABANDONED_MESSAGE);
  // The killed run's staged files are gone too.
  const staging =
    destination.type === 'duckdb'
      ? path.join(dir, `.${path.basename(destination.path)}.staging`)
      : path.join(destination.dir, '.staging');
  expect(fs.existsSync(staging)).toBe(false);
  return pass;
}

describe('a run killed with SIGKILL at any point, then re-run: exact data, committed windows not refetched', () => {
  const fixture = useSimulator({ seed: 3, size: 2000, faults: { latencyMs: 15 } });

  for (const [kind, dest] of destinations) {
    it.each([
      [1, 0],
      [2, 5],
      [3, 40],
    ])(`${kind}: killed %i commit(s) in, +%i ms`, async (afterCommits, delayMs) => {
      const name = `${kind}-${afterCommits}-${delayMs}`;
      await killAndResume(fixture, dest(fixture, name), {
        name,
        afterCommits,
        delayMs,
        sourceExtra: '  page_size: 100\n  concurrency: 2',
        streamExtra: '    window_days: 5',
      });
    });
  }
});

describe('window_days: auto (windows sized from counts, not regular): killed, then re-run', () => {
  // 6000 calls at concurrency 4: windows of about 1000 calls (MIN_WINDOW_ROWS), cut where the counts say.
  const fixture = useSimulator({ seed: 6, size: 6000, faults: { latencyMs: 15 } });

  for (const [kind, dest] of destinations) {
    it.each([
      [1, 0],
      [2, 5],
    ])(`${kind}: killed %i commit(s) in, +%i ms`, async (afterCommits, delayMs) => {
      const name = `auto-${kind}-${afterCommits}-${delayMs}`;
      const pass = await killAndResume(fixture, dest(fixture, name), {
        name,
        afterCommits,
        delayMs,
        sourceExtra: '  page_size: 100\n  concurrency: 4\n  requests_per_second: 1000',
        streamExtra: '',
      });
      // The killed pass stored its own windows (not regular days), about one per 1000 calls.
      expect(pass?.windowDays).toBeUndefined();
      expect(pass?.windows?.length).toBeGreaterThanOrEqual(5);
      expect(pass?.windows?.length).toBeLessThanOrEqual(8);
    });
  }
});

describe('two runs at once on one destination', () => {
  const fixture = useSimulator({ seed: 4, size: 1500, faults: { latencyMs: 20 } });

  for (const kind of ['duckdb', 'parquet'] as const) {
    it(`${kind}: the second fails fast with a clear message; with --wait both succeed; data exact`, async () => {
      const { sim, dir, env } = fixture;
      const destination =
        kind === 'duckdb'
          ? { type: kind, path: path.join(dir, 'both.duckdb') }
          : { type: kind, dir: path.join(dir, 'both-pq') };
      const from =
        destination.type === 'duckdb' ? { duckdb: destination.path } : { parquet: destination.dir };
      const cfg = writePipeline(dir, pipelineYaml({ destination }), `both-${kind}.yaml`);
      const [a, b] = await Promise.all([
        runCli(['run', '-c', cfg], { env }),
        runCli(['run', '-c', cfg], { env }),
      ]);
      const codes = [a.code, b.code].sort();
      expect(codes).toEqual([0, 4]);
      const loser = a.code === 4 ? a : b;
      expect(loser.stderr).toMatch(/another run holds .* \(pid \d+/);

      sim.mutate({ add: 10, change: 10 });
      const [c, d] = await Promise.all([
        runCli(['run', '-c', cfg, '--wait'], { env }),
        runCli(['run', '-c', cfg, '--wait'], { env }),
      ]);
      expect([c.code, d.code]).toEqual([0, 0]);
      const expected = sim.calls().map((x) => comparableCall(x, INCLUDE));
      expect(await loadedCalls(from, INCLUDE)).toEqual(expected);
    });
  }
});
