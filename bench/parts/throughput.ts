import path from 'node:path';
import { cliRun } from '../cli-run.js';
import { type Ctx, fail, measure } from '../context.js';
import type { PairTimes } from '../results.js';
import { benchPipelineYaml, type DestinationSpec, type Extract, type StreamSettings } from '../setup.js';
import { limitWindows } from '../shape.js';
import type { SimulatorProcess } from '../simulator.js';
import type { Task } from '../tasks/types.js';

export type PairPart = 'list' | 'export' | 'parquet';

/** Ours, pipeline only: runPipeline in a child process, timed inside it. */
export function pipelineTask(
  ctx: Ctx,
  rows: number,
  sim: SimulatorProcess,
  s: StreamSettings,
  target: 'duckdb' | 'parquet',
): (workDir: string) => Task {
  return (workDir) => {
    const destination: DestinationSpec =
      target === 'duckdb'
        ? { type: 'duckdb', path: path.join(workDir, 'calls.duckdb') }
        : { type: 'parquet', dir: path.join(workDir, 'parquet') };
    return {
      kind: 'pipeline',
      yaml: benchPipelineYaml(s, destination, ctx.shape),
      endpoint: sim,
      destination,
      extract: s.extract,
      expectRows: rows,
    };
  };
}

/**
 * list / export / parquet at N. Each round runs three processes, in an order that flips every round: ours whole
 * process (the CLI, spawn to exit), ours pipeline only (runPipeline in a child), and the limit (one process,
 * which gives both its measured part and its fork-to-exit time).
 */
export async function throughput(ctx: Ctx, sim: SimulatorProcess, parts: readonly PairPart[]): Promise<void> {
  const { opts, results, shape } = ctx;
  const N = opts.rows;
  const windows = limitWindows(shape, opts.limitWindowDays);
  const failed = new Set<PairPart>();
  for (let round = 1; round <= opts.repeat; round++) {
    for (const part of parts) {
      if (failed.has(part)) continue;
      const extract: Extract = part === 'list' ? 'list' : 'export';
      const target = part === 'parquet' ? 'parquet' : 'duckdb';
      const settings: StreamSettings = {
        extract,
        concurrency: opts.concurrency,
        windowDays: opts.windowDays,
      };
      const times = results[part] as PairTimes;
      const of = `${round}/${opts.repeat}`;
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
              target,
              createdAtHeader: shape.createdAtHeader,
              expectRows: N,
            };
      const sides: (() => Promise<void>)[] = [
        async () => {
          const r = await cliRun(ctx, `${part} ours (whole process) ${of}`, sim, settings, target, {
            expectRows: N,
          });
          times.oursProcess.push(r.ms);
          if (r.maxRssMb !== null) times.rssProcess.push(r.maxRssMb);
        },
        async () => {
          const r = await measure(ctx, `${part} limit ${of}`, limit);
          times.limit.push(r.ms);
          times.limitProcess.push(r.processMs);
        },
        async () => {
          const r = await measure(
            ctx,
            `${part} ours (pipeline only) ${of}`,
            pipelineTask(ctx, N, sim, settings, target),
          );
          times.ours.push(r.ms);
        },
      ];
      if (round % 2 === 0) sides.reverse();
      try {
        for (const side of sides) await side();
      } catch (err) {
        failed.add(part);
        fail(ctx, part, err);
      }
    }
  }
}
