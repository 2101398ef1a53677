/**
 * The benchmark (issues #5 and #15): the pipeline against the built-in simulator on loopback, each measure next
 * to its "limit" (the same bytes fetched raw and loaded by DuckDB alone), alternating, medians of --repeat runs.
 * Each throughput measure is taken twice: whole process (the CLI spawned as a scheduler runs it, spawn to exit)
 * and pipeline only (runPipeline timed inside a child). The targets are on the whole-process figures.
 *
 *   npm run bench -- --rows 200000 --json
 *
 * Progress goes to stderr; the tables to stdout, or with --json to stderr and one JSON line to stdout.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Ctx, guarded, loadAvg, progress, withSimulator } from './context.js';
import { parseOptions, USAGE } from './options.js';
import { fixedCost } from './parts/fixed.js';
import { latency } from './parts/latency.js';
import { loadPath } from './parts/load.js';
import { memoryAt } from './parts/memory.js';
import { throughput } from './parts/throughput.js';
import { jsonSummary, rawTimes, table, targetTable } from './report.js';
import { emptyResults } from './results.js';
import { shapeNamed } from './shape.js';

const LATENCY_MS = 100;

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
  const shape = shapeNamed(opts.shape);
  const root = opts.workDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'cs-bench-')));
  await fs.mkdir(root, { recursive: true });
  const ctx: Ctx = { opts, shape, root, results: emptyResults(opts.rows, shape.name), seq: 0 };
  const { only, rows } = opts;
  progress(
    `rows ${rows}, repeat ${opts.repeat}, parts ${[...only].join(',')}, shape ${shape.name} (${shape.describe}), concurrency ${opts.concurrency}, window_days ${opts.windowDays ?? 'unset'}, cli ${opts.cli}, ${os.cpus().length} CPUs, load average ${loadAvg()}, work dir ${root}`,
  );
  try {
    if (only.has('fixed')) {
      await guarded(ctx, 'fixed', () => withSimulator(ctx, opts.fixedRows, 0, (sim) => fixedCost(ctx, sim)));
    }
    const pairs = (['list', 'export', 'parquet'] as const).filter((p) => only.has(p));
    if (pairs.length > 0) {
      await guarded(ctx, `simulator ${rows}`, () =>
        withSimulator(ctx, rows, 0, (sim) => throughput(ctx, sim, pairs)),
      );
    }
    if (only.has('memory')) {
      const M = ctx.results.memory;
      M.rowsSmall = opts.memoryRows;
      M.rowsLarge = opts.memoryRows * opts.memoryFactor;
      for (const [size, into] of [
        [M.rowsSmall, M.small],
        [M.rowsLarge, M.large],
      ] as const) {
        await guarded(ctx, `memory ${size}`, () =>
          withSimulator(ctx, size, 0, (sim) => memoryAt(ctx, sim, size, into)),
        );
      }
    }
    if (only.has('latency')) {
      // Always on the builtin shape, whose dates frame the data: the part measures concurrency against
      // latency, as in sessions 1-3, not how the planner treats months without calls.
      const framed: Ctx = { ...ctx, shape: shapeNamed('builtin') };
      await guarded(ctx, 'latency', () =>
        withSimulator(framed, opts.latencyRows, LATENCY_MS, (sim) => latency(framed, sim)),
      );
    }
    if (only.has('load')) await guarded(ctx, 'load', () => loadPath(ctx));
  } finally {
    if (!opts.workDir) await fs.rm(root, { recursive: true, force: true });
  }

  progress(`done; load average ${loadAvg()}`);
  const r = ctx.results;
  const failures = r.failures.map((f) => `FAILED ${f}`).join('\n');
  const human = `${targetTable(r)}\n\n${table(r)}\n\n${rawTimes(r)}\n${failures}\n`;
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
