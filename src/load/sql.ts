import { LoadError } from '../errors.js';
import type { ColumnType, TableSchema } from '../schema/table.js';

/**
 * SQL text derived from a TableSchema. Both destinations speak DuckDB SQL (the Parquet one uses an in-memory
 * DuckDB to merge), so DDL, casts and the "latest version per key" query live here once.
 */

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Columns that read_parquet adds while merging; a schema must not use them. */
export const FILE_COLUMN = '__cs_file';
export const ROW_COLUMN = 'file_row_number';

export const DUCKDB_TYPES: Readonly<Record<ColumnType, string>> = {
  utf8: 'VARCHAR',
  int32: 'INTEGER',
  int64: 'BIGINT',
  float64: 'DOUBLE',
  bool: 'BOOLEAN',
  timestamp: 'TIMESTAMPTZ',
  date: 'DATE',
  list_utf8: 'VARCHAR[]',
  json: 'JSON',
};

/** How duckdb_columns().data_type spells each type, to compare an existing table with the schema. */
export const DUCKDB_TYPE_NAMES: Readonly<Record<ColumnType, string>> = {
  ...DUCKDB_TYPES,
  timestamp: 'TIMESTAMP WITH TIME ZONE',
};

/** A validated, quoted identifier. */
export function ident(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new LoadError(`invalid identifier ${JSON.stringify(name)}: expected ^[a-z_][a-z0-9_]*$`);
  }
  return `"${name}"`;
}

/** A SQL string literal; NUL cannot be represented and is refused. */
export function literal(value: string): string {
  if (value.includes('\0'))
    throw new LoadError(`refusing a string with a NUL byte: ${JSON.stringify(value)}`);
  return `'${value.replaceAll("'", "''")}'`;
}

/** A file list for read_parquet. Glob characters would silently read other files, so they are refused. */
export function fileList(files: readonly string[]): string {
  for (const f of files) {
    if (/[*?[\]{}]/.test(f)) throw new LoadError(`refusing a file path with glob characters: ${f}`);
  }
  return `[${files.map(literal).join(', ')}]`;
}

/** Checks a schema once, at the boundary, so SQL built from it can trust its names. */
export function validateSchema(schema: TableSchema): void {
  ident(schema.name);
  const seen = new Set<string>();
  for (const c of schema.columns) {
    ident(c.name);
    if (seen.has(c.name)) throw new LoadError(`table ${schema.name}: column ${c.name} is defined twice`);
    if (c.name === FILE_COLUMN || c.name === ROW_COLUMN) {
      throw new LoadError(`table ${schema.name}: column name ${c.name} is reserved by the loader`);
    }
    if (!(c.type in DUCKDB_TYPES))
      throw new LoadError(`table ${schema.name}: column ${c.name} has unknown type ${c.type}`);
    seen.add(c.name);
  }
  if (!seen.has(schema.primaryKey)) {
    throw new LoadError(`table ${schema.name}: primary key ${schema.primaryKey} is not one of its columns`);
  }
  if (schema.accountColumn !== undefined && !seen.has(schema.accountColumn)) {
    throw new LoadError(
      `table ${schema.name}: account column ${schema.accountColumn} is not one of its columns`,
    );
  }
  if (schema.partitionBy !== undefined) {
    const part = schema.columns.find((c) => c.name === schema.partitionBy);
    if (part?.type !== 'date') {
      throw new LoadError(`table ${schema.name}: partitionBy ${schema.partitionBy} must name a date column`);
    }
  }
}

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly description?: string;
}

/** The one DDL function: every table the loaders create goes through it. */
export function createTableSql(
  table: string,
  columns: readonly ColumnSpec[],
  primaryKey: readonly string[],
  opts: { ifNotExists?: boolean; temp?: boolean } = {},
): string {
  const defs = columns.map((c) => `${ident(c.name)} ${DUCKDB_TYPES[c.type]}`);
  if (primaryKey.length > 0) defs.push(`PRIMARY KEY (${primaryKey.map(ident).join(', ')})`);
  const kind = opts.temp ? 'TEMP TABLE' : 'TABLE';
  const ine = opts.ifNotExists ? ' IF NOT EXISTS' : '';
  return `CREATE ${kind}${ine} ${ident(table)} (\n  ${defs.join(',\n  ')}\n)`;
}

export function commentSql(table: string, column: string, description: string): string {
  return `COMMENT ON COLUMN ${ident(table)}.${ident(column)} IS ${literal(description)}`;
}

export function addColumnSql(table: string, column: ColumnSpec): string {
  return `ALTER TABLE ${ident(table)} ADD COLUMN ${ident(column.name)} ${DUCKDB_TYPES[column.type]}`;
}

/**
 * The schema's columns, cast to their declared types, from a source that has only `present` columns: the
 * rest become typed NULLs. Casting makes staged files tolerant of narrower encodings (int32 for int64,
 * millisecond timestamps, JSON as plain text); the session runs in UTC so zone-less timestamps mean UTC.
 * `notNull`: a column whose NULL fails the statement with DuckDB's error(`error`), checked as rows are read.
 */
export function projection(
  columns: readonly ColumnSpec[],
  present: ReadonlySet<string>,
  alias = '',
  notNull?: { readonly column: string; readonly error: string },
): string {
  const prefix = alias ? `${alias}.` : '';
  return columns
    .map((c) => {
      const type = DUCKDB_TYPES[c.type];
      let value = present.has(c.name) ? `${prefix}${ident(c.name)}` : 'NULL';
      if (notNull?.column === c.name) {
        value = `CASE WHEN ${value} IS NULL THEN error(${literal(notNull.error)}) ELSE ${value} END`;
      }
      return `CAST(${value} AS ${type}) AS ${ident(c.name)}`;
    })
    .join(', ');
}

/** read_parquet over staged files, with each row's file and position so later versions can win. */
export function stagedSource(files: readonly string[], withPosition: boolean): string {
  const opts = withPosition ? `, filename = ${literal(FILE_COLUMN)}, file_row_number = true` : '';
  return `read_parquet(${fileList(files)}, union_by_name = true, hive_partitioning = false${opts})`;
}

/**
 * SELECT the latest version of each key among staged files: the later file in `files` order wins, then the
 * later row within a file. Position in the list, not the file name, decides, so callers need not name files
 * in sortable order.
 *
 * The winners are chosen over keys and positions only, then the rows are read again and kept by a semi-join
 * on (file, row): memory grows with the number of keys, not with the size of the rows (a window over whole
 * rows holds every transcription of the commit at once).
 */
export function latestPerKeySql(
  schema: TableSchema,
  files: readonly string[],
  present: ReadonlySet<string>,
): string {
  const pk = keyColumns(schema).map(ident).join(', ');
  // Later file in `files`, then later row: one number that orders every staged row.
  const position = `list_position(${fileList(files)}, ${FILE_COLUMN}) * ${FILE_POSITION_FACTOR} + ${ROW_COLUMN}`;
  const winners =
    `SELECT arg_max(${FILE_COLUMN}, ${position}) AS f, arg_max(${ROW_COLUMN}, ${position}) AS r ` +
    `FROM ${stagedSource(files, true)} GROUP BY ${pk}`;
  return (
    `SELECT ${projection(schema.columns, present, 's')} FROM ${stagedSource(files, true)} AS s ` +
    `SEMI JOIN (${winners}) AS w ON s.${FILE_COLUMN} = w.f AND s.${ROW_COLUMN} = w.r`
  );
}

/** Rows per staged file stay far below this, so (file position, row) orders as one number. */
const FILE_POSITION_FACTOR = 2 ** 32;

/** What identifies a row: (account, primary key) when the table has an account column, else the key. */
export function keyColumns(schema: TableSchema): string[] {
  return schema.accountColumn === undefined ? [schema.primaryKey] : [schema.accountColumn, schema.primaryKey];
}

/** `a.k1 = b.k1 AND a.k2 = b.k2` over the key columns. */
export function keyJoin(schema: TableSchema, a: string, b: string): string {
  return keyColumns(schema)
    .map((k) => `${a}.${ident(k)} = ${b}.${ident(k)}`)
    .join(' AND ');
}

/** A view as DuckDB keeps it: created or replaced, with its description and its columns'. */
export function viewSql(view: {
  name: string;
  description: string;
  sql: string;
  columns: readonly { name: string; description: string }[];
}): string[] {
  return [
    `CREATE OR REPLACE VIEW ${ident(view.name)} AS ${view.sql}`,
    `COMMENT ON VIEW ${ident(view.name)} IS ${literal(view.description)}`,
    ...view.columns.map((c) => commentSql(view.name, c.name, c.description)),
  ];
}

/** A SELECT of no rows with these columns, typed: the view of a table that has no data yet. */
export function emptyRowsSql(columns: readonly ColumnSpec[]): string {
  return `SELECT ${columns.map((c) => `CAST(NULL AS ${DUCKDB_TYPES[c.type]}) AS ${ident(c.name)}`).join(', ')} LIMIT 0`;
}
