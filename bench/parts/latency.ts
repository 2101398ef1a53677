import { type Ctx, measure } from '../context.js';
import type { StreamSettings } from '../setup.js';
import type { SimulatorProcess } from '../simulator.js';
import { pipelineTask } from './throughput.js';

/** The latency-bound list (the simulator answers each request after 100 ms): c=1 against c=8, pipeline only. */
export async function latency(ctx: Ctx, sim: SimulatorProcess): Promise<void> {
  const { opts, results } = ctx;
  results.latency.rows = opts.latencyRows;
  for (let round = 1; round <= opts.repeat; round++) {
    const order = round % 2 === 1 ? [1, 8] : [8, 1];
    for (const c of order) {
      const settings: StreamSettings = {
        extract: 'list',
        concurrency: c,
        windowDays: opts.latencyWindowDays,
      };
      const make = pipelineTask(ctx, opts.latencyRows, sim, settings, 'duckdb');
      const r = await measure(ctx, `latency c=${c} ${round}/${opts.repeat}`, make);
      (c === 1 ? results.latency.c1 : results.latency.c8).push(r.ms);
    }
  }
}
