import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABANDONED_MESSAGE } from '../../src/load/destination.js';
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

async function committedWindows(from: { duckdb: string } | { parquet: string }): Promise<string[]> {
  if ('duckdb' in from) {
    const rows = await query<{ done: string[] | null }>(
      from.duckdb,
      "SELECT CAST(json_extract(value, '$.pass.done') AS VARCHAR[]) AS done FROM _sync_state",
    );
    return rows[0]?.done ?? [];
  }
  const rows = await query<{ done: string[] | null }>(
    ':memory:',
    `SELECT CAST(json_extract(json, '$.value.pass.done') AS VARCHAR[]) AS done
     FROM read_json_objects('${from.parquet}/_state/*.json') AS t(json)`,
  );
  return rows[0]?.done ?? [];
}

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

async function runRecords(
  from: { duckdb: string } | { parquet: string },
): Promise<{ status: string; message: string | null }[]> {
  if ('duckdb' in from) return query(from.duckdb, 'SELECT status, message FROM _sync_runs');
  return query(':memory:', `SELECT status, message FROM read_json('${from.parquet}/_sync_runs/*.json')`);
}

describe('a run killed with SIGKILL at any point, then re-run: exact data, committed windows not refetched', () => {
  const fixture = useSimulator({ seed: 3, size: 2000, faults: { latencyMs: 15 } });

  const destinations = [
    ['duckdb', (name: string) => ({ type: 'duckdb' as const, path: fixture.path(`${name}.duckdb`) })],
    ['parquet', (name: string) => ({ type: 'parquet' as const, dir: fixture.path(name) })],
  ] as const;

  for (const [kind, dest] of destinations) {
    it.each([
      [1, 0],
      [2, 5],
      [3, 40],
    ])(`${kind}: killed %i commit(s) in, +%i ms`, async (afterCommits, delayMs) => {
      const { sim, dir, env } = fixture;
      const name = `${kind}-${afterCommits}-${delayMs}`;
      const destination = dest(name);
      const from =
        destination.type === 'duckdb' ? { duckdb: destination.path } : { parquet: destination.dir };
      const cfg = writePipeline(
        dir,
        pipelineYaml({
          destination,
          sourceExtra: '  page_size: 100\n  concurrency: 2',
          streamExtra: '    window_days: 5',
        }),
        `${name}.yaml`,
      );
      const killed = await killMidRun(cfg, env, afterCommits, delayMs);
      expect(killed.signal).toBe('SIGKILL');
      const done = await committedWindows(from);
      expect(done.length).toBeGreaterThanOrEqual(afterCommits);
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
