import { readFileSync } from 'node:fs';

/** Whether a process with this id exists on this host (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// USER_HZ is 100 on every mainstream Linux ABI; Node cannot call sysconf(_SC_CLK_TCK).
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * When a process started, from /proc (Linux only; undefined elsewhere or when it is gone). Lets a lock tell a
 * live holder from a recycled pid (containers restart with the same low pids) and say "since when".
 */
export function processStartTime(pid: number): Date | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: fields are counted after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]); // field 22 overall
    const btimeLine = readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('btime '));
    const bootSeconds = Number(btimeLine?.split(/\s+/)[1]);
    if (!Number.isFinite(startTicks) || !Number.isFinite(bootSeconds)) return undefined;
    return new Date((bootSeconds + startTicks / CLOCK_TICKS_PER_SECOND) * 1000);
  } catch {
    return undefined;
  }
}
