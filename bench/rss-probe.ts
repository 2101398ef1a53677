/**
 * Preloaded into a measured process (`node --import <this> ...`): when the process exits, it writes the
 * process's peak RSS (VmHWM) and CPU time, both of every thread (main, workers, DuckDB), as JSON to
 * $CS_BENCH_RSS_FILE. A parent cannot read a child's figures after it has exited, and Node gives no rusage of
 * children; this costs the process one tiny module and one write.
 */
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.CS_BENCH_RSS_FILE;
// Worker threads inherit --import: only the main thread speaks for the process.
if (file && isMainThread) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKb: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime }));
  });
}
