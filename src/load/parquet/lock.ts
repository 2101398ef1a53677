import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import type { OpenOptions } from '../destination.js';
import { describeHolder, LockedError, lockedMessage } from '../errors.js';
import { tmpSuffix } from '../fsutil.js';
import { LockWait } from '../lock-wait.js';
import { isAlive, processStartTime } from '../process-info.js';

/** /proc start times are second-granular; a holder that started this much after its lock is a recycled pid. */
const PID_REUSE_SLACK_MS = 2000;

interface LockInfo {
  pid: number;
  hostname: string;
  started_at: string;
  token: string;
}

/** Lock tokens this process holds: a second open in the same process must fail like one from another process. */
const heldHere = new Set<string>();

/**
 * The Parquet dataset's one-writer lock: `<dir>/.lock`, created with O_EXCL, holding who took it. A lock whose
 * holder is provably gone (same host, pid dead or recycled) is taken over without ceremony.
 */
export class FileLock {
  private info: LockInfo | undefined;

  constructor(
    readonly file: string,
    private readonly target: string,
  ) {}

  async acquire(opts: OpenOptions = {}): Promise<void> {
    if (this.info) return;
    const waiting = new LockWait(opts);
    for (;;) {
      const mine: LockInfo = {
        pid: process.pid,
        hostname: os.hostname(),
        started_at: new Date().toISOString(),
        token: randomBytes(8).toString('hex'),
      };
      if (await this.tryCreate(mine)) {
        this.info = mine;
        heldHere.add(mine.token);
        return;
      }
      const raw = await fs.readFile(this.file, 'utf8').catch(() => undefined);
      if (raw === undefined) continue; // released between our create and read: try again now
      const holder = parse(raw);
      if ((await isStale(this.file, holder)) && (await this.takeOver(raw))) continue;
      const who = {
        pid: holder?.pid,
        hostname: holder?.hostname,
        since: holder ? new Date(holder.started_at) : undefined,
      };
      const hint = `; if no run is active, delete ${this.file}`;
      await waiting.held(
        `${this.target} is held by ${describeHolder(who)}`,
        (waited) =>
          new LockedError(lockedMessage(this.target, who, waited, hint), {
            pid: holder?.pid,
            context: { path: this.file, hostname: holder?.hostname },
          }),
      );
    }
  }

  /** Removes the lock file if it is still ours (a takeover by another process is not undone). */
  async release(): Promise<void> {
    const info = this.info;
    if (!info) return;
    this.info = undefined;
    heldHere.delete(info.token);
    const raw = await fs.readFile(this.file, 'utf8').catch(() => undefined);
    if (raw !== undefined && parse(raw)?.token === info.token) await fs.rm(this.file, { force: true });
  }

  private async tryCreate(info: LockInfo): Promise<boolean> {
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(this.file, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
    try {
      await fh.writeFile(`${JSON.stringify(info)}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    return true;
  }

  /**
   * Moves the stale lock aside and checks that what moved is what was judged stale: if another process took
   * over first, its fresh lock is put back and we report the lock as held.
   */
  private async takeOver(seen: string): Promise<boolean> {
    const aside = `${this.file}.stale-${tmpSuffix()}`;
    try {
      await fs.rename(this.file, aside);
    } catch {
      return true; // already gone: retry the create
    }
    const moved = await fs.readFile(aside, 'utf8').catch(() => '');
    if (moved === seen) {
      await fs.rm(aside, { force: true });
      return true;
    }
    await fs.link(aside, this.file).catch(() => undefined);
    await fs.rm(aside, { force: true });
    return false;
  }
}

function parse(raw: string): LockInfo | undefined {
  try {
    const v = JSON.parse(raw) as Partial<LockInfo>;
    if (typeof v.pid !== 'number' || typeof v.hostname !== 'string' || typeof v.started_at !== 'string') {
      return undefined;
    }
    return { pid: v.pid, hostname: v.hostname, started_at: v.started_at, token: String(v.token ?? '') };
  } catch {
    return undefined;
  }
}

async function isStale(file: string, holder: LockInfo | undefined): Promise<boolean> {
  if (!holder) {
    // Unreadable: a holder may be writing it right now; only an old one is a crash leftover.
    const stat = await fs.stat(file).catch(() => undefined);
    return stat !== undefined && Date.now() - stat.mtimeMs > 10_000;
  }
  if (holder.hostname !== os.hostname()) return false; // cannot see another host's processes
  if (holder.pid === process.pid) return !heldHere.has(holder.token);
  if (!isAlive(holder.pid)) return true;
  const start = processStartTime(holder.pid);
  const lockedAt = Date.parse(holder.started_at);
  return start !== undefined && Number.isFinite(lockedAt) && start.getTime() > lockedAt + PID_REUSE_SLACK_MS;
}
