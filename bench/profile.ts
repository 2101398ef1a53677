/**
 * One pipeline run in THIS process against a simulator child, for `node --cpu-prof`:
 *
 *   npm run build
 *   node --cpu-prof --cpu-prof-dir=/tmp/cs-prof dist/bench/profile.js --extract list --rows 200000
 *   node dist/bench/cpuprofile-summary.js /tmp/cs-prof/*.cpuprofile
 *
 * DuckDB runs its statements on libuv worker threads, which a main-thread CPU profile shows as idle, so the
 * wall time of the load steps is measured here as well (by wrapping the destination and staging methods of
 * this process only) and printed as one JSON line on stderr.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { callscaler } from '../connectors/callscaler/index.js';
import { runOptionsFor } from '../src/cli/compose.js';
import { parseConfig } from '../src/config/load.js';
import { HttpClient } from '../src/http/client.js';
import { DuckDBDestination, ParquetDestination, Stager } from '../src/load/index.js';
import { runPipeline } from '../src/pipeline/run.js';
import { benchPipelineYaml, type DestinationSpec, type Extract } from './setup.js';
import { startSimulatorProcess } from './simulator.js';

interface Phase {
  calls: number;
  ms: number;
}

const phases: Record<string, Phase> = {};

/** Sums the wall time of every call of `proto[method]` (found up the prototype chain) under `name`. */
function timeMethod(proto: object, method: string, name: string): void {
  const original = (proto as Record<string, unknown>)[method];
  if (typeof original !== 'function') throw new Error(`profile: no method ${method} to time`);
  const phase: Phase = { calls: 0, ms: 0 };
  phases[name] = phase;
  Object.defineProperty(proto, method, {
    configurable: true,
    writable: true,
    value: async function (this: unknown, ...args: unknown[]) {
      const t = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        phase.calls++;
        phase.ms += performance.now() - t;
      }
    },
  });
}

const { values } = parseArgs({
  options: {
    extract: { type: 'string', default: 'list' },
    rows: { type: 'string', default: '200000' },
    dest: { type: 'string', default: 'duckdb' },
    concurrency: { type: 'string', default: '4' },
    'window-days': { type: 'string', default: '7' },
    latency: { type: 'string', default: '0' },
  },
});
const extract = values.extract as Extract;
if (extract !== 'list' && extract !== 'export') throw new Error('--extract: list or export');
const rows = Number(values.rows);

timeMethod(DuckDBDestination.prototype, 'commit', 'duckdb commit');
timeMethod(ParquetDestination.prototype, 'commit', 'parquet commit');
timeMethod(Stager.prototype, 'write', 'stage batch (Arrow IPC -> parquet-wasm -> file)');
timeMethod(
  HttpClient.prototype,
  extract === 'list' ? 'getJson' : 'getStream',
  `http ${extract} (until body/headers)`,
);

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cs-profile-'));
const destination: DestinationSpec =
  values.dest === 'parquet'
    ? { type: 'parquet', dir: path.join(dir, 'parquet') }
    : { type: 'duckdb', path: path.join(dir, 'calls.duckdb') };
const sim = await startSimulatorProcess({ size: rows, latencyMs: Number(values.latency) });
try {
  const yaml = benchPipelineYaml(
    { extract, concurrency: Number(values.concurrency), windowDays: Number(values['window-days']) },
    destination,
  );
  const env = { CALLSCALER_BASE_URL: sim.baseUrl, CALLSCALER_API_KEY: sim.apiKey };
  const config = parseConfig(yaml, 'profile', callscaler.pipelineSchema, env);
  const simCpu0 = await processCpuSeconds(sim.pid);
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const summary = await runPipeline(runOptionsFor(callscaler, config, process.cwd()));
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = {
    process: round1((cpu.user + cpu.system) / 1e6),
    simulator: round1((await processCpuSeconds(sim.pid)) - simCpu0),
  };
  const rounded = Object.fromEntries(
    Object.entries(phases).map(([k, p]) => [k, { calls: p.calls, ms: Math.round(p.ms) }]),
  );
  process.stderr.write(
    `${JSON.stringify({ extract, rows: summary.streams[0]?.rows, windows: summary.streams[0]?.windows, requests: summary.requests, ms: Math.round(ms), cpu_s: cpuS, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024), phases: rounded })}\n`,
  );
} finally {
  await sim.stop();
  await fs.rm(dir, { recursive: true, force: true });
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** User + system CPU seconds of another process so far (Linux /proc; the simulator runs in a child). */
async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ", field 3 (state) is index 0: utime is field 14, stime 15.
  // Clock ticks: 100 per second on Linux (getconf CLK_TCK).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
