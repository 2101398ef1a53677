import { cliRun } from '../cli-run.js';
import type { Ctx } from '../context.js';
import type { SimulatorProcess } from '../simulator.js';

/**
 * Peak RSS of one whole-process export → DuckDB run of the CLI (every thread: main, workers, DuckDB) with
 * `rows` calls; pushed to `into`.
 */
export async function memoryAt(ctx: Ctx, sim: SimulatorProcess, rows: number, into: number[]): Promise<void> {
  const { opts } = ctx;
  const r = await cliRun(
    ctx,
    `memory export ours ${rows} calls`,
    sim,
    { extract: 'export', concurrency: opts.concurrency, windowDays: opts.windowDays },
    'duckdb',
    { expectRows: rows },
  );
  if (r.maxRssMb === null) throw new Error(`memory ${rows}: the process wrote no peak RSS`);
  into.push(r.maxRssMb);
}
