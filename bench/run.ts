/**
 * The benchmark (issue #5): the pipeline against the built-in simulator on loopback, each measure next to
 * its "limit" (the same bytes fetched raw and loaded by DuckDB alone), alternating, medians of --repeat runs.
 *
 *   npm run bench -- --rows 200000 --json
 *
 * Progress goes to stderr; the table to stdout, or with --json to stderr and one JSON line to stdout.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runInChild } from './child.js';
import { type BenchOptions, parseOptions, USAGE } from './options.js';
import { emptyResults, jsonSummary, type PairTimes, type Results, rawTimes, table } from './report.js';
import { benchPipelineYaml, benchWindows, type DestinationSpec, type Extract } from './setup.js';
import { type SimulatorProcess, startSimulatorProcess } from './simulator.js';
import type { Task, TaskResult } from './tasks/types.js';

const LATENCY_MS = 100;
const t0 = Date.now();

/** Other work on the machine skews every number: it is printed at the start and the end. */
function loadAvg(): string {
  return os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

function progress(line: string): void {
  process.stderr.write(`[bench +${((Date.now() - t0) / 1000).toFixed(0)}s] ${line}\n`);
}

interface Ctx {
  readonly opts: BenchOptions;
  readonly root: string;
  readonly results: Results;
  seq: number;
}

/** Runs a task in a child with a fresh work directory, removed afterwards. */
async function measure(ctx: Ctx, label: string, make: (workDir: string) => Task): Promise<TaskResult> {
  const workDir = path.join(ctx.root, `${++ctx.seq}-${label.replace(/[^a-z0-9]+/gi, '-')}`);
  await fs.mkdir(workDir, { recursive: true });
  try {
    const r = await runInChild(make(workDir));
    const rate = r.ms > 0 ? `, ${Math.round(r.rows / (r.ms / 1000)).toLocaleString('en-US')} rows/s` : '';
    progress(
      `${label}: ${(r.ms / 1000).toFixed(2)} s${rate}, peak RSS ${r.maxRssMb.toFixed(0)} MB (${r.baseRssMb.toFixed(0)} MB before the run)`,
    );
    return r;
  } finally {
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

function pipelineTask(
  sim: SimulatorProcess,
  rows: number,
  s: { extract: Extract; concurrency: number; windowDays: number },
  target: 'duckdb' | 'parquet',
): (workDir: string) => Task {
  return (workDir) => {
    const destination: DestinationSpec =
      target === 'duckdb'
        ? { type: 'duckdb', path: path.join(workDir, 'calls.duckdb') }
        : { type: 'parquet', dir: path.join(workDir, 'parquet') };
    return {
      kind: 'pipeline',
      yaml: benchPipelineYaml(s, destination),
      endpoint: sim,
      destination,
      extract: s.extract,
      expectRows: rows,
    };
  };
}

type PairPart = 'list' | 'export' | 'parquet';

/** list / export / parquet at N, ours and limit alternating (the order flips every round). */
async function throughput(ctx: Ctx, sim: SimulatorProcess, parts: PairPart[]): Promise<void> {
  const { opts, results } = ctx;
  const N = opts.rows;
  const windows = benchWindows(opts.windowDays);
  const base = { concurrency: opts.concurrency, windowDays: opts.windowDays };
  const failed = new Set<PairPart>();
  for (let round = 1; round <= opts.repeat; round++) {
    for (const part of parts) {
      if (failed.has(part)) continue;
      const extract: Extract = part === 'list' ? 'list' : 'export';
      const ours = pipelineTask(sim, N, { ...base, extract }, part === 'parquet' ? 'parquet' : 'duckdb');
      const limit = (workDir: string): Task =>
        part === 'list'
          ? {
              kind: 'raw-list',
              endpoint: sim,
              windows,
              concurrency: opts.concurrency,
              workDir,
              expectRows: N,
            }
          : {
              kind: 'raw-export',
              endpoint: sim,
              windows,
              concurrency: opts.concurrency,
              workDir,
              target: part === 'parquet' ? 'parquet' : 'duckdb',
              expectRows: N,
            };
      const sides: ['ours' | 'limit', (w: string) => Task][] = [
        ['ours', ours],
        ['limit', limit],
      ];
      if (round % 2 === 0) sides.reverse();
      try {
        for (const [side, make] of sides) {
          const r = await measure(ctx, `${part} ${side} ${round}/${opts.repeat}`, make);
          (results[part] as PairTimes)[side].push(r.ms);
          if (part === 'export' && side === 'ours') results.rssN.push(r.maxRssMb);
        }
      } catch (err) {
        failed.add(part);
        fail(ctx, part, err);
      }
    }
  }
}

function fail(ctx: Ctx, part: string, err: unknown): void {
  const msg = `${part}: ${err instanceof Error ? err.message : String(err)}`;
  ctx.results.failures.push(msg);
  progress(`FAILED ${msg}`);
}

async function withSimulator(
  size: number,
  latencyMs: number,
  body: (sim: SimulatorProcess) => Promise<void>,
): Promise<void> {
  const started = Date.now();
  const sim = await startSimulatorProcess({ size, latencyMs });
  progress(
    `simulator: ${size} calls${latencyMs ? `, ${latencyMs} ms/request` : ''}, pid ${sim.pid}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  try {
    await body(sim);
  } finally {
    await sim.stop();
  }
}

/** Peak RSS of the export run into DuckDB at N (reused from the export part when it ran) and at F x N. */
async function memoryAt(ctx: Ctx, sim: SimulatorProcess, rows: number, into: number[]): Promise<void> {
  const { opts } = ctx;
  const make = pipelineTask(
    sim,
    rows,
    { extract: 'export', concurrency: opts.concurrency, windowDays: opts.windowDays },
    'duckdb',
  );
  const r = await measure(ctx, `memory export ours ${rows} calls`, make);
  into.push(r.maxRssMb);
}

async function latency(ctx: Ctx, sim: SimulatorProcess): Promise<void> {
  const { opts, results } = ctx;
  results.latency.rows = opts.latencyRows;
  const s = { extract: 'list' as const, windowDays: opts.latencyWindowDays };
  for (let round = 1; round <= opts.repeat; round++) {
    const order = round % 2 === 1 ? [1, 8] : [8, 1];
    for (const c of order) {
      const make = pipelineTask(sim, opts.latencyRows, { ...s, concurrency: c }, 'duckdb');
      const r = await measure(ctx, `latency c=${c} ${round}/${opts.repeat}`, make);
      (c === 1 ? results.latency.c1 : results.latency.c8).push(r.ms);
    }
  }
}

async function loadPath(ctx: Ctx): Promise<void> {
  const { opts, results } = ctx;
  const workDir = path.join(ctx.root, 'load-path');
  try {
    progress(`load path: building ${opts.rows} Arrow rows, then ${opts.repeat} trials of each path`);
    const r = await runInChild({ kind: 'load-path', rows: opts.rows, repeat: opts.repeat, workDir });
    const d = r.detail as Record<string, number[]>;
    results.load = {
      rows: r.rows,
      staging: d.staging,
      stage: d.stage,
      commit: d.commit,
      cells: d.cells,
      chunks: d.chunks,
    };
    progress(
      `load path: staging ${d.staging.map((x) => (x / 1000).toFixed(2)).join(', ')} s; cells ${d.cells.map((x) => (x / 1000).toFixed(2)).join(', ')} s; chunks ${d.chunks.map((x) => (x / 1000).toFixed(2)).join(', ')} s`,
    );
  } finally {
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

async function guarded(ctx: Ctx, part: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    fail(ctx, part, err);
  }
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const opts = parsed;
  const root = opts.workDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'cs-bench-')));
  await fs.mkdir(root, { recursive: true });
  const ctx: Ctx = { opts, root, results: emptyResults(opts.rows), seq: 0 };
  const { only, rows } = opts;
  progress(
    `rows ${rows}, repeat ${opts.repeat}, parts ${[...only].join(',')}, concurrency ${opts.concurrency}, window_days ${opts.windowDays}, ${os.cpus().length} CPUs, load average ${loadAvg()}, work dir ${root}`,
  );
  try {
    const pairs = (['list', 'export', 'parquet'] as const).filter((p) => only.has(p));
    if (pairs.length > 0 || only.has('memory')) {
      await guarded(ctx, `simulator ${rows}`, () =>
        withSimulator(rows, 0, async (sim) => {
          await throughput(ctx, sim, pairs);
          if (only.has('memory') && ctx.results.rssN.length === 0) {
            await guarded(ctx, 'memory N', () => memoryAt(ctx, sim, rows, ctx.results.rssN));
          }
        }),
      );
    }
    if (only.has('memory')) {
      const big = rows * opts.memoryFactor;
      ctx.results.memoryRows = big;
      await guarded(ctx, `memory ${big}`, () =>
        withSimulator(big, 0, (sim) => memoryAt(ctx, sim, big, ctx.results.rss5N)),
      );
    }
    if (only.has('latency')) {
      await guarded(ctx, 'latency', () =>
        withSimulator(opts.latencyRows, LATENCY_MS, (sim) => latency(ctx, sim)),
      );
    }
    if (only.has('load')) await guarded(ctx, 'load', () => loadPath(ctx));
  } finally {
    if (!opts.workDir) await fs.rm(root, { recursive: true, force: true });
  }

  progress(`done; load average ${loadAvg()}`);
  const r = ctx.results;
  const human = `${table(r)}\n\n${rawTimes(r)}\n${r.failures.map((f) => `FAILED ${f}`).join('\n')}\n`;
  if (opts.json) {
    process.stderr.write(human);
    process.stdout.write(`${JSON.stringify(jsonSummary(r))}\n`);
  } else {
    process.stdout.write(human);
  }
  return r.failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
