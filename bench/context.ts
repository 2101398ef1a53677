import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ChildResult, runInChild } from './child.js';
import type { BenchOptions } from './options.js';
import type { Results } from './results.js';
import type { DataShape } from './shape.js';
import { type SimulatorProcess, startSimulatorProcess } from './simulator.js';
import { checkRows, countCalls } from './tasks/count.js';
import type { Task } from './tasks/types.js';

const t0 = Date.now();

/** Other work on the machine skews every number: it is printed at the start and the end. */
export function loadAvg(): string {
  return os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

export function progress(line: string): void {
  process.stderr.write(`[bench +${((Date.now() - t0) / 1000).toFixed(0)}s] ${line}\n`);
}

/** What every part shares: the options, the data shape, a scratch root, and where figures go. */
export interface Ctx {
  readonly opts: BenchOptions;
  readonly shape: DataShape;
  readonly root: string;
  readonly results: Results;
  seq: number;
}

/** A fresh work directory for one run; `body` gets it, and it is removed afterwards. */
export async function inWorkDir<T>(
  ctx: Ctx,
  label: string,
  body: (workDir: string) => Promise<T>,
): Promise<T> {
  const workDir = path.join(ctx.root, `${++ctx.seq}-${label.replace(/[^a-z0-9]+/gi, '-')}`);
  await fs.mkdir(workDir, { recursive: true });
  try {
    return await body(workDir);
  } finally {
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Runs a task in a child with a fresh work directory, then, the child gone, counts what it loaded (a run that
 * did not load every call measured something else: refused).
 */
export async function measure(
  ctx: Ctx,
  label: string,
  make: (workDir: string) => Task,
): Promise<ChildResult> {
  return inWorkDir(ctx, label, async (workDir) => {
    const task = make(workDir);
    let r = await runInChild(task);
    if (r.output && 'expectRows' in task) {
      const loaded = await countCalls(r.output, task.kind === 'pipeline' ? task.extract : undefined);
      checkRows(label, loaded.rows, task.expectRows);
      if (task.kind === 'pipeline' && loaded.matching !== loaded.rows) {
        throw new Error(
          `${label}: extract ${task.extract} was configured but ${loaded.rows - loaded.matching} of ${loaded.rows} rows have another _extract`,
        );
      }
      r = { ...r, rows: loaded.rows };
    }
    const rate = r.ms > 0 ? `, ${Math.round(r.rows / (r.ms / 1000)).toLocaleString('en-US')} rows/s` : '';
    progress(
      `${label}: ${(r.ms / 1000).toFixed(2)} s${rate} (process ${(r.processMs / 1000).toFixed(2)} s), peak RSS ${r.maxRssMb.toFixed(0)} MB (${r.baseRssMb.toFixed(0)} MB before the run)`,
    );
    return r;
  });
}

export function fail(ctx: Ctx, part: string, err: unknown): void {
  const msg = `${part}: ${err instanceof Error ? err.message : String(err)}`;
  ctx.results.failures.push(msg);
  progress(`FAILED ${msg}`);
}

/** Runs a part; a failure is recorded (FAILED in the report, null in the JSON) and the other parts go on. */
export async function guarded(ctx: Ctx, part: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    fail(ctx, part, err);
  }
}

export async function withSimulator(
  ctx: Ctx,
  size: number,
  latencyMs: number,
  body: (sim: SimulatorProcess) => Promise<void>,
): Promise<void> {
  const started = Date.now();
  const sim = await startSimulatorProcess({ size, latencyMs, shape: ctx.shape });
  progress(
    `simulator: ${size} calls${latencyMs ? `, ${latencyMs} ms/request` : ''}, shape ${ctx.shape.name}, pid ${sim.pid}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  try {
    await body(sim);
  } finally {
    await sim.stop();
  }
}
