import type { DuckDBConnection } from '@duckdb/node-api';
import { LoadError } from '../errors.js';
import type { TableSchema } from '../schema/table.js';
import { rows } from './duckdb-session.js';
import { ident, keyColumns, keyJoin, latestPerKeySql, projection, stagedSource } from './sql.js';

/**
 * A commit's staged rows, read from their Parquet files as few times as the commit needs. The keys come first,
 * alone (a few bytes a row), into a temporary table: what the merge deletes, and whether any key was staged
 * twice. Only then are the rows read, once; choosing each key's latest version (a second pass over the
 * files for their positions) is left to the commits that have a key twice, which are rare.
 *
 * DuckDB reads a list of files in list order and keeps that order when it inserts (preserve_insertion_order,
 * its default), so in a table that is only appended to, rowid order is fetch order: of two rows with one key,
 * the one with the higher rowid was fetched later.
 */

/** The temporary table of a commit's staged keys (in fetch order). */
export const STAGED_KEYS = '__cs_staged_keys';

/** What DuckDB's error() says when a staged row has no key; replaced by a message with the count. */
const NULL_KEY_MARKER = 'callscaler-sync: staged row without a key';

/** The primary key's projection fails the statement on a NULL: checked as rows are read, not counted apart. */
function notNullKey(schema: TableSchema) {
  return { column: schema.primaryKey, error: NULL_KEY_MARKER };
}

/** SELECT of the schema's columns from the staged files, cast to their types, in fetch order. */
export function stagedRowsSql(
  schema: TableSchema,
  files: readonly string[],
  present: ReadonlySet<string>,
): string {
  return `SELECT ${projection(schema.columns, present, 's', notNullKey(schema))} FROM ${stagedSource(files, false)} AS s`;
}

/**
 * Reads the staged keys into STAGED_KEYS (replacing it). Returns whether a key is there more than once (a page
 * or window that brought a record again): then the rows to write are `latestStagedSql(..., true)`.
 */
export async function loadStagedKeys(
  conn: DuckDBConnection,
  schema: TableSchema,
  files: readonly string[],
): Promise<boolean> {
  const keyCols = schema.columns.filter((c) => keyColumns(schema).includes(c.name));
  const present = new Set(keyCols.map((c) => c.name));
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGED_KEYS} AS SELECT ${projection(keyCols, present, 's', notNullKey(schema))} ` +
      `FROM ${stagedSource(files, false)} AS s`,
  );
  const keys = keyColumns(schema).map(ident).join(', ');
  const [{ repeated }] = await rows(
    conn,
    `SELECT count(*) AS repeated FROM (SELECT 1 FROM ${STAGED_KEYS} GROUP BY ${keys} HAVING count(*) > 1)`,
  );
  return Number(repeated) > 0;
}

/** The staged rows to write, one per key: all of them, or when a key `repeated`, each key's latest version. */
export function latestStagedSql(
  schema: TableSchema,
  files: readonly string[],
  present: ReadonlySet<string>,
  repeated: boolean,
): string {
  return repeated ? latestPerKeySql(schema, files, present) : stagedRowsSql(schema, files, present);
}

/**
 * Deletes from `table` every row that a later row (higher rowid) of the same key supersedes, so one row per key
 * is left, the last appended. `table` must have been only appended to (see above). One aggregate over the keys
 * and rowids: it finds nothing to delete in the usual case, where keys are unique. Returns the rows deleted.
 */
export async function dropSuperseded(
  conn: DuckDBConnection,
  schema: TableSchema,
  table: string,
): Promise<number> {
  const keys = keyColumns(schema).map(ident).join(', ');
  const t = ident(table);
  const result = await conn.run(
    `DELETE FROM ${t} AS t USING (SELECT ${keys}, max(rowid) AS keep FROM ${t} GROUP BY ${keys} HAVING count(*) > 1) AS d ` +
      `WHERE ${keyJoin(schema, 't', 'd')} AND t.rowid <> d.keep`,
  );
  return Number(result.rowsChanged);
}

/**
 * The error to report for a failed statement over staged files: when a row had no key, a LoadError saying how
 * many (counted now, on the failure path only); otherwise `err` itself. Call it outside any failed transaction.
 */
export async function explainStagedError(
  conn: DuckDBConnection,
  schema: TableSchema,
  files: readonly string[],
  err: unknown,
): Promise<unknown> {
  if (!(err instanceof Error) || !err.message.includes(NULL_KEY_MARKER)) return err;
  const pk = ident(schema.primaryKey);
  let missing: unknown;
  try {
    [{ missing }] = await rows(
      conn,
      `SELECT count(*) AS missing FROM ${stagedSource(files, false)} WHERE ${pk} IS NULL`,
    );
  } catch {
    return err; // the files cannot be read again: the first error says enough
  }
  return new LoadError(
    `${missing} staged rows of ${schema.name} have no ${schema.primaryKey} (NULL primary key)`,
    { cause: err },
  );
}
