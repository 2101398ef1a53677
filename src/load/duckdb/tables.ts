import type { DuckDBConnection } from '@duckdb/node-api';
import { LoadError } from '../../errors.js';
import { errorMessage, rollbackQuietly, rows } from '../duckdb-session.js';
import {
  addColumnSql,
  type ColumnSpec,
  commentSql,
  createTableSql,
  DUCKDB_TYPE_NAMES,
  ident,
  literal,
} from '../sql.js';

interface ExistingColumn {
  type: string;
  comment: string | null;
}

export async function existingColumns(
  conn: DuckDBConnection,
  table: string,
): Promise<Map<string, ExistingColumn>> {
  const found = await rows(
    conn,
    `SELECT column_name, data_type, comment FROM duckdb_columns()
     WHERE database_name = current_database() AND schema_name = current_schema() AND table_name = ${literal(table)}
     ORDER BY column_index`,
  );
  return new Map(
    found.map((r) => [
      String(r.column_name),
      { type: String(r.data_type), comment: r.comment === null ? null : String(r.comment) },
    ]),
  );
}

export async function tableExists(conn: DuckDBConnection, table: string): Promise<boolean> {
  const found = await rows(
    conn,
    `SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = current_schema()
     AND table_name = ${literal(table)}`,
  );
  return found.length > 0;
}

/**
 * The statements that bring `table` in line with `columns`: create it, or add the missing columns (additive
 * evolution) and refresh comments. A column whose type changed is refused: rewriting data is not additive.
 */
export async function alignTableSql(
  conn: DuckDBConnection,
  table: string,
  columns: readonly ColumnSpec[],
  primaryKey: readonly string[],
  fill: Readonly<Record<string, string>> = {},
): Promise<string[]> {
  const existing = await existingColumns(conn, table);
  const stmts: string[] = [];
  if (existing.size === 0) stmts.push(createTableSql(table, columns, primaryKey));
  for (const c of columns) {
    const have = existing.get(c.name);
    if (existing.size > 0 && !have) {
      stmts.push(addColumnSql(table, c));
      const value = Object.hasOwn(fill, c.name) ? fill[c.name] : undefined;
      if (value !== undefined) stmts.push(`UPDATE ${ident(table)} SET ${ident(c.name)} = ${literal(value)}`);
    }
    if (have && have.type !== DUCKDB_TYPE_NAMES[c.type]) {
      throw new LoadError(
        `table ${table}: column ${c.name} is ${have.type} but the schema says ${DUCKDB_TYPE_NAMES[c.type]}; ` +
          'only additive changes are applied automatically (rename or drop the column to migrate)',
      );
    }
    if (c.description && have?.comment !== c.description)
      stmts.push(commentSql(table, c.name, c.description));
  }
  return stmts;
}

/** Runs statements in one transaction, turning any failure into a LoadError that names `what`. */
export async function inTransaction(
  conn: DuckDBConnection,
  what: string,
  stmts: readonly string[],
): Promise<void> {
  if (stmts.length === 0) return;
  try {
    await conn.run('BEGIN TRANSACTION');
    for (const s of stmts) await conn.run(s);
    await conn.run('COMMIT');
  } catch (err) {
    await rollbackQuietly(conn);
    throw new LoadError(`${what} failed: ${errorMessage(err)}`, { cause: err });
  }
}

/** The shadow table of a full sync. Ids are normalized to identifier characters, deterministically. */
export function shadowTable(table: string, id: string): string {
  const norm = snapshotId(id);
  const name = `${table}__snapshot_${norm}`;
  ident(name);
  return name;
}

export function snapshotId(id: string): string {
  if (typeof id !== 'string' || id === '' || id.length > 100) {
    throw new LoadError(`invalid snapshot id ${JSON.stringify(id)}: expected 1-100 characters`);
  }
  return id.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/**
 * The other shadows of `table` (of one account's snapshots, when `account` is given: their ids start with
 * `<account>__`, see `snapshotIdFor`).
 */
export function staleShadowsSql(table: string, keep: string, account?: string): string {
  const prefix = `${table}__snapshot_${account === undefined ? '' : `${snapshotId(account)}__`}`;
  return `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = current_schema()
    AND starts_with(table_name, ${literal(prefix)}) AND table_name <> ${literal(keep)}`;
}
