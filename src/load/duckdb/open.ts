import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { LoadError } from '../../errors.js';
import type { OpenOptions } from '../destination.js';
import { type DuckDBSettings, duckdbConfig } from '../duckdb-session.js';
import { describeHolder, LockedError, lockedMessage } from '../errors.js';
import { LockWait } from '../lock-wait.js';
import { processStartTime } from '../process-info.js';
import { ident, literal } from '../sql.js';

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

/** The catalog name the database file is attached as; every statement of the run goes to it (USE). */
export const CATALOG = 'warehouse';

/**
 * Rows per row group in the database file. DuckDB's default (122,880) means a checkpoint compresses about
 * 150 MB of call rows (long transcriptions) at once; with 16,384 a sync's memory stays flat whatever the size
 * of the table, and loading got faster too (BENCHMARKS.md, "Memory").
 */
export const ROW_GROUP_SIZE = 16_384;

export interface OpenedDatabase {
  readonly instance: DuckDBInstance;
  /** A connection whose default catalog is the file. */
  readonly conn: DuckDBConnection;
  readonly release: () => void;
}

/**
 * Opens (creating if needed) the database file, holding it for the caller until `release`. A held lock becomes a
 * LockedError naming the pid, or with `wait` is tried again (LockWait).
 *
 * The file is ATTACHed to an in-memory instance rather than opened directly, because the row group size is an
 * ATTACH option. `memoryLimit` caps DuckDB's buffer pool; what does not fit spills to `<file>.tmp/`.
 */
export async function openDatabase(
  file: string,
  opts: OpenOptions = {},
  settings: DuckDBSettings = {},
): Promise<OpenedDatabase> {
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
  const waiting = new LockWait(opts);
  for (;;) {
    let locked: { pid?: number; since?: Date; cause?: unknown } | undefined;
    const heldHere = openInThisProcess.get(file);
    if (heldHere) {
      locked = { pid: process.pid, since: heldHere };
    } else {
      try {
        const opened = await attach(file, settings);
        openInThisProcess.set(file, new Date());
        return { ...opened, release: () => openInThisProcess.delete(file) };
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
    const holder = locked;
    await waiting.held(
      `${file} is held by ${describeHolder(holder)}`,
      (waited) =>
        new LockedError(lockedMessage(file, holder, waited), {
          cause: holder.cause,
          pid: holder.pid,
          context: { path: file },
        }),
    );
  }
}

async function attach(
  file: string,
  settings: DuckDBSettings,
): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(':memory:', duckdbConfig(settings, `${file}.tmp`));
  try {
    const conn = await instance.connect();
    await conn.run(`ATTACH ${literal(file)} AS ${CATALOG} (ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`);
    const schema = settings.schema ?? 'main';
    if (schema !== 'main') await conn.run(`CREATE SCHEMA IF NOT EXISTS ${CATALOG}.${ident(schema)}`);
    await conn.run(`USE ${CATALOG}.${ident(schema)}`);
    return { instance, conn };
  } catch (err) {
    instance.closeSync();
    throw err;
  }
}
