import * as arrow from 'apache-arrow';
import type { ColumnType, TableSchema } from '../schema/table.js';

/**
 * The Arrow type for one column type. Every column is nullable: the API may omit any field, and a
 * NOT NULL constraint is the destination's business (primary key), not the transport's.
 */
export function toArrowType(type: ColumnType): arrow.DataType {
  switch (type) {
    case 'utf8':
    case 'json': // DuckDB reads JSON as text; Parquet has no better logical type that every reader knows
      return new arrow.Utf8();
    case 'int32':
      return new arrow.Int32();
    case 'int64':
      return new arrow.Int64();
    case 'float64':
      return new arrow.Float64();
    case 'bool':
      return new arrow.Bool();
    case 'timestamp':
      return new arrow.TimestampMicrosecond('UTC');
    case 'date':
      return new arrow.DateDay();
    case 'list_utf8':
      return new arrow.List(new arrow.Field('item', new arrow.Utf8(), true));
  }
}

export function toArrowSchema(s: TableSchema): arrow.Schema {
  return new arrow.Schema(s.columns.map((c) => new arrow.Field(c.name, toArrowType(c.type), true)));
}
