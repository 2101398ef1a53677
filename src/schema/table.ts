/**
 * A table's columns, defined once. DuckDB DDL, the Arrow/Parquet schema, docs and tests derive from it.
 */
export type ColumnType =
  | 'utf8'
  | 'int32'
  | 'int64'
  | 'float64'
  | 'bool'
  | 'timestamp' // instant, microseconds, UTC
  | 'date' // calendar date (days)
  | 'list_utf8'
  | 'json'; // a JSON document stored as text (DuckDB JSON)

/** Where a column's value comes from. */
export type ColumnOrigin = 'api' | 'include' | 'derived' | 'meta';

export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  readonly origin: ColumnOrigin;
  readonly description: string;
}

export interface TableSchema {
  readonly name: string;
  /** What a row is, for people (schema output, dbt docs). */
  readonly description?: string;
  readonly primaryKey: string;
  /**
   * The column naming the account a row belongs to: a row's identity is (account, primary key), a full refresh
   * replaces one account's rows, and a Parquet dataset is partitioned by it first.
   */
  readonly accountColumn?: string;
  /** A date column that Parquet datasets are partitioned by (`<col>=YYYY-MM-DD`). */
  readonly partitionBy?: string;
  readonly columns: readonly ColumnDef[];
}

/** The JS value a column holds in a normalized row (null = SQL NULL). */
export type ColumnValue = string | number | bigint | boolean | readonly string[] | null;

/** TypeScript value type for one column type. */
export interface ColumnJsType {
  utf8: string;
  int32: number;
  int64: bigint;
  float64: number;
  bool: boolean;
  timestamp: number; // epoch milliseconds
  date: number; // days since epoch
  list_utf8: readonly string[];
  json: string;
}

export function columnNames(schema: TableSchema): string[] {
  return schema.columns.map((c) => c.name);
}

export function findColumn(schema: TableSchema, name: string): ColumnDef | undefined {
  return schema.columns.find((c) => c.name === name);
}

/** A view a connector ships over its tables (reporting), with a description per column. */
export interface ViewDefinition {
  readonly name: string;
  readonly description: string;
  /** The SELECT the view is (DuckDB SQL, over the tables by their names). */
  readonly sql: string;
  readonly columns: readonly { readonly name: string; readonly description: string }[];
}
