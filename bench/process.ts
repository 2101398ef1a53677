import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROBE = pathToFileURL(path.join(HERE, 'rss-probe.js')).href;
/** The CLI this build made; `--cli` points the bench at another build (a before/after comparison). */
export const DEFAULT_CLI = path.resolve(HERE, '../src/cli/main.js');

export interface ProcessRun {
  /** Wall time from spawn to exit: what a scheduler sees. */
  readonly ms: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak RSS of the whole process (all threads), from the preloaded probe; null if it wrote nothing. */
  readonly maxRssMb: number | null;
  /**
   * CPU time (user + system) of the whole process, all threads; null if the probe wrote nothing. Less swayed than
   * wall time by other work on the machine, so a before/after on a busy machine compares this too.
   */
  readonly cpuMs: number | null;
}

let seq = 0;

/**
 * Runs `node <args>` as a process of its own and times it from spawn to exit, as a scheduler would see it. The
 * only addition is `--import rss-probe.js` (one tiny module), for the peak RSS and the CPU time.
 */
export async function timeProcess(
  args: readonly string[],
  o: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<ProcessRun> {
  const rssFile = path.join(os.tmpdir(), `cs-bench-rss-${process.pid}-${++seq}`);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', PROBE, ...args], {
    cwd: o.cwd,
    env: { ...(o.env ?? process.env), CS_BENCH_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  // 'close' comes after 'exit', once the pipes are drained: the output is whole then.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const [ms, code, signal] = await new Promise<[number, number | null, NodeJS.Signals | null]>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c, s) => resolve([performance.now() - started, c, s]));
    },
  );
  await closed;
  let maxRssMb: number | null = null;
  let cpuMs: number | null = null;
  try {
    const probe = JSON.parse(await fs.readFile(rssFile, 'utf8')) as { maxRssKb: number; cpuUs: number };
    maxRssMb = probe.maxRssKb / 1024;
    cpuMs = probe.cpuUs / 1000;
    await fs.rm(rssFile, { force: true });
  } catch {
    // The process died before its exit handler ran (a signal): no figures.
  }
  return {
    ms,
    code,
    signal,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    maxRssMb,
    cpuMs,
  };
}

/** The last lines of a failed process's stderr, for the error message. */
export function stderrTail(run: ProcessRun, lines = 5): string {
  return run.stderr.trimEnd().split('\n').slice(-lines).join(' | ');
}
