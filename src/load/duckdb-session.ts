import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { LoadError } from '../errors.js';
import type { TableSchema } from '../schema/table.js';
import { keyColumns, stagedSource } from './sql.js';

/** Small helpers over a DuckDB connection, shared by both destinations. */

export async function rows(
  conn: DuckDBConnection,
  sql: string,
  values?: DuckDBValue[],
): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql, values)).getRowObjects() as Record<string, unknown>[];
}

/** How the loader's DuckDB may use the machine (pipeline.yaml `destination.memory_limit`). */
export interface DuckDBSettings {
  /** DuckDB's memory_limit, e.g. `128MB`; DuckDB's default (80% of RAM) when absent. */
  readonly memoryLimit?: string;
  /** The schema the tables live in (pipeline.yaml `destination.schema`; default `main`). */
  readonly schema?: string;
}

/**
 * WAL size that triggers a checkpoint. DuckDB's default (16MB) checkpointed every other commit of a sync, and a
 * checkpoint's cost grew with the table: a 200k-call sync spent ~20% of its CPU in them. With 1GB a sync
 * checkpoints about once per GB loaded, and at close. Commits are as durable (the WAL is synced each commit).
 */
const CHECKPOINT_THRESHOLD = '1GB';

/** DuckDB instance settings: the memory limit, where what does not fit in it spills, and when to checkpoint. */
export function duckdbConfig(settings: DuckDBSettings, tempDirectory: string): Record<string, string> {
  const config: Record<string, string> = {
    temp_directory: tempDirectory,
    checkpoint_threshold: CHECKPOINT_THRESHOLD,
  };
  if (settings.memoryLimit !== undefined) config.memory_limit = settings.memoryLimit;
  return config;
}

/**
 * A DuckDB error as the user can act on it. DuckDB's "Out of Memory" lists remedies the user cannot apply
 * (SET statements on our connection); the one they can is the memory limit in pipeline.yaml.
 */
export function duckdbErrorMessage(err: unknown, settings: DuckDBSettings): string {
  const msg = errorMessage(err);
  if (!/Out of Memory/i.test(msg)) return msg;
  const limit = settings.memoryLimit ?? "DuckDB's default, 80% of RAM";
  return `${msg.split('\n')[0].trim()}; raise destination.memory_limit in pipeline.yaml (now ${limit})`;
}

/**
 * Settings every loader connection runs with. UTC so that a zone-less timestamp in a staged file is read as
 * the UTC instant it is, whatever the machine's zone.
 */
export async function prepareSession(conn: DuckDBConnection): Promise<void> {
  await conn.run(`SET TimeZone = 'UTC'`);
}

/**
 * The column names the staged files hold between them (union by name): `known` when the caller says (no need
 * to read the files' footers), else read from the files. The key columns must be among them; that no row has
 * a NULL key is checked as the rows are read (staged-rows.ts).
 */
export async function stagedColumns(
  conn: DuckDBConnection,
  schema: TableSchema,
  files: readonly string[],
  known?: readonly string[],
): Promise<Set<string>> {
  const present =
    known !== undefined
      ? new Set(known)
      : new Set(
          (await rows(conn, `DESCRIBE SELECT * FROM ${stagedSource(files, false)}`)).map((r) =>
            String(r.column_name),
          ),
        );
  for (const key of keyColumns(schema)) {
    if (!present.has(key)) {
      throw new LoadError(`staged files for ${schema.name} have no key column ${key}`, {
        context: { files: files.slice(0, 5) },
      });
    }
  }
  return present;
}

/** ROLLBACK that never hides the error that caused it. */
export async function rollbackQuietly(conn: DuckDBConnection): Promise<void> {
  try {
    await conn.run('ROLLBACK');
  } catch {
    // No transaction open (the error came before BEGIN, or DuckDB already ended it): nothing to undo.
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
