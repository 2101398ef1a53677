import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { LoadError } from '../../errors.js';
import type { OpenOptions } from '../destination.js';
import { LockedError, lockedMessage } from '../errors.js';
import { sleep } from '../fsutil.js';
import { processStartTime } from '../process-info.js';

const RETRY_MS = 500;

/**
 * DuckDB's file lock is per process (fcntl), so two instances in one process would both "get" it and corrupt
 * the file. This registry makes a second open in the same process fail like a second process does.
 */
const openInThisProcess = new Map<string, Date>();

/** A holder of the DuckDB file lock, parsed from DuckDB's message. */
function lockHolder(err: unknown): { pid?: number } | undefined {
  const msg = err instanceof Error ? err.message : String(err);
  if (!/Could not set lock on file/i.test(msg)) return undefined;
  const pid = /\(PID (\d+)\)/.exec(msg)?.[1];
  return { pid: pid === undefined ? undefined : Number(pid) };
}

/**
 * Opens (creating if needed) the database file, holding it for the caller until `release`. A held lock becomes a
 * LockedError naming the pid, or with `wait` is retried every 500 ms until `waitTimeoutMs`.
 */
export async function openDatabase(
  file: string,
  opts: OpenOptions = {},
): Promise<{ instance: DuckDBInstance; release: () => void }> {
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
  } catch (err) {
    throw new LoadError(
      `cannot create the directory for DuckDB database ${file}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const started = Date.now();
  for (;;) {
    let locked: { pid?: number; since?: Date; cause?: unknown } | undefined;
    const heldHere = openInThisProcess.get(file);
    if (heldHere) {
      locked = { pid: process.pid, since: heldHere };
    } else {
      try {
        const instance = await DuckDBInstance.create(file);
        openInThisProcess.set(file, new Date());
        return { instance, release: () => openInThisProcess.delete(file) };
      } catch (err) {
        const holder = lockHolder(err);
        if (!holder) {
          throw new LoadError(`cannot open DuckDB database ${file}: ${(err as Error).message}`, {
            cause: err,
          });
        }
        locked = {
          pid: holder.pid,
          since: holder.pid === undefined ? undefined : processStartTime(holder.pid),
          cause: err,
        };
      }
    }
    const waited = Date.now() - started;
    const timedOut = opts.waitTimeoutMs !== undefined && waited + RETRY_MS > opts.waitTimeoutMs;
    if (!opts.wait || timedOut) {
      throw new LockedError(lockedMessage(file, locked, opts.wait ? waited : undefined), {
        cause: locked.cause,
        pid: locked.pid,
        context: { path: file },
      });
    }
    await sleep(RETRY_MS);
  }
}
