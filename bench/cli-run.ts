import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Ctx, inWorkDir, progress } from './context.js';
import { stderrTail, timeProcess } from './process.js';
import { benchPipelineYaml, type DestinationSpec, type StreamSettings } from './setup.js';
import { checkRows, countCalls } from './tasks/count.js';
import type { Endpoint } from './tasks/types.js';

export interface CliRun {
  /** Spawn to exit. */
  readonly ms: number;
  readonly maxRssMb: number | null;
  /** CPU time of the process, all threads. */
  readonly cpuMs: number | null;
  /** The `--json` summary line. */
  readonly summary: { status: string; duration_ms: number; requests: number; streams: { rows: number }[] };
}

/**
 * Ours, whole process: `node <cli> run -c pipeline.yaml --json` against the simulator, timed from spawn to exit,
 * as a scheduler runs it. It must exit 0 with a succeeded summary; `verify` then counts the rows that landed.
 */
export async function cliRun(
  ctx: Ctx,
  label: string,
  sim: Endpoint,
  settings: StreamSettings,
  target: 'duckdb' | 'parquet',
  o: { expectRows: number; verify?: boolean },
): Promise<CliRun> {
  return inWorkDir(ctx, label, async (workDir) => {
    const destination: DestinationSpec =
      target === 'duckdb'
        ? { type: 'duckdb', path: path.join(workDir, 'calls.duckdb') }
        : { type: 'parquet', dir: path.join(workDir, 'parquet') };
    const file = path.join(workDir, 'pipeline.yaml');
    await fs.writeFile(file, benchPipelineYaml(settings, destination, ctx.shape));
    const run = await timeProcess([ctx.opts.cli, 'run', '-c', file, '--json'], {
      env: { ...process.env, CALLSCALER_BASE_URL: sim.baseUrl, CALLSCALER_API_KEY: sim.apiKey },
    });
    if (run.code !== 0) {
      throw new Error(`${label}: the CLI exited ${run.code ?? run.signal}: ${stderrTail(run)}`);
    }
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as CliRun['summary'];
    if (summary.status !== 'succeeded') throw new Error(`${label}: run ${summary.status}`);
    const reported = summary.streams.reduce((n, s) => n + s.rows, 0);
    checkRows(`${label} (--json rows)`, reported, o.expectRows);
    if (o.verify !== false) {
      const loaded = await countCalls(destination, settings.extract);
      checkRows(label, loaded.rows, o.expectRows);
      if (loaded.matching !== loaded.rows) {
        throw new Error(`${label}: ${loaded.rows - loaded.matching} rows have another _extract`);
      }
    }
    const rate = Math.round(o.expectRows / (run.ms / 1000)).toLocaleString('en-US');
    const cpu = run.cpuMs === null ? '-' : (run.cpuMs / 1000).toFixed(2);
    progress(
      `${label}: ${(run.ms / 1000).toFixed(2)} s whole process (${rate} rows/s; the run's own duration_ms ${(summary.duration_ms / 1000).toFixed(2)} s, ${summary.requests} requests), CPU ${cpu} s, peak RSS ${run.maxRssMb?.toFixed(0) ?? '-'} MB`,
    );
    return { ms: run.ms, maxRssMb: run.maxRssMb, cpuMs: run.cpuMs, summary };
  });
}
