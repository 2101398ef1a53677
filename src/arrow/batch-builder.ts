import * as arrow from 'apache-arrow';
import { DataError } from '../errors.js';
import type { ColumnType, ColumnValue, TableSchema } from '../schema/table.js';
import { toArrowSchema } from './arrow-schema.js';
import type { ColumnBuilder } from './column.js';
import {
  boolColumn,
  dateDayColumn,
  float64Column,
  int32Column,
  int64Column,
  timestampColumn,
} from './fixed-columns.js';
import { ListUtf8Column } from './list-column.js';
import { Utf8Column } from './utf8-column.js';

function makeColumn(type: ColumnType, arrowType: arrow.DataType): ColumnBuilder {
  switch (type) {
    case 'utf8':
    case 'json':
      return new Utf8Column(arrowType as arrow.Utf8);
    case 'int32':
      return int32Column(arrowType as arrow.Int32);
    case 'int64':
      return int64Column(arrowType as arrow.Int64);
    case 'float64':
      return float64Column(arrowType as arrow.Float64);
    case 'bool':
      return boolColumn(arrowType as arrow.Bool);
    case 'timestamp':
      return timestampColumn(arrowType as arrow.TimestampMicrosecond);
    case 'date':
      return dateDayColumn(arrowType as arrow.DateDay);
    case 'list_utf8':
      return new ListUtf8Column(arrowType as arrow.List<arrow.Utf8>);
  }
}

/**
 * Rows in, Arrow record batches out. Values go straight into per-column typed arrays; `finish()` wraps
 * them as one RecordBatch and starts over. A row with a bad value is refused whole: the columns that
 * already took its values are rolled back, so the builder stays consistent and usable.
 */
export class BatchBuilder {
  readonly arrowSchema: arrow.Schema;
  private readonly columns: ColumnBuilder[];
  private rows = 0;
  /** The text columns (most of them) and the others, with their positions in a row: see `append`. */
  private readonly texts: Utf8Column[] = [];
  private readonly textAt: number[] = [];
  private readonly others: ColumnBuilder[] = [];
  private readonly otherAt: number[] = [];

  constructor(private readonly schema: TableSchema) {
    this.arrowSchema = toArrowSchema(schema);
    this.columns = schema.columns.map((c, i) => makeColumn(c.type, this.arrowSchema.fields[i].type));
    this.columns.forEach((c, i) => {
      if (c instanceof Utf8Column) {
        this.texts.push(c);
        this.textAt.push(i);
      } else {
        this.others.push(c);
        this.otherAt.push(i);
      }
    });
  }

  /** Rows appended since the last `finish()`. */
  get length(): number {
    return this.rows;
  }

  /** Approximate bytes held, for flushing by size when rows are large. */
  get byteLength(): number {
    let total = 0;
    for (const c of this.columns) total += c.byteLength;
    return total;
  }

  /** `row` holds one value per schema column, in schema order (see `ColumnJsType`); null is NULL. */
  append(row: readonly ColumnValue[]): void {
    const columns = this.columns;
    if (row.length !== columns.length) {
      throw new DataError(
        `${this.schema.name}: a row has ${row.length} values, the schema has ${columns.length} columns`,
      );
    }
    let i = 0;
    try {
      // The text columns get a call site of their own, which stays monomorphic: one loop over all columns
      // calls five classes' appends from one site (~12% of a row's Arrow time, with utf8Write).
      const { texts, textAt, others, otherAt } = this;
      for (let k = 0; k < texts.length; k++) {
        i = textAt[k];
        texts[k].append(row[i]);
      }
      for (let k = 0; k < others.length; k++) {
        i = otherAt[k];
        others[k].append(row[i]);
      }
    } catch (err) {
      for (const c of columns) c.truncate(this.rows);
      const column = this.schema.columns[i];
      throw new DataError(
        `${this.schema.name}.${column.name} (${column.type}): ${err instanceof Error ? err.message : String(err)}`,
        { cause: err, context: { table: this.schema.name, column: column.name, rowInBatch: this.rows } },
      );
    }
    this.rows++;
  }

  /** The rows appended since the last call as one RecordBatch (null when there are none); then resets. */
  finish(): arrow.RecordBatch | null {
    if (this.rows === 0) return null;
    const children = this.columns.map((c) => c.finish());
    const data = arrow.makeData({
      type: new arrow.Struct(this.arrowSchema.fields),
      length: this.rows,
      nullCount: 0,
      children,
    });
    this.rows = 0;
    return new arrow.RecordBatch(this.arrowSchema, data);
  }
}
