import {
  type DuckDBAppender,
  DuckDBDateValue,
  type DuckDBListValue,
  DuckDBTimestampTZValue,
  type DuckDBValue,
  LIST,
  listValue,
  VARCHAR,
} from '@duckdb/node-api';
import type * as arrow from 'apache-arrow';
import type { ColumnType } from '../../src/schema/table.js';

/**
 * Arrow columns (as BatchBuilder makes them: one Data per column, offset 0) read back into the JS values
 * the DuckDB appender takes. The reading is part of what the appender path costs, so it is kept tight:
 * typed arrays and offsets, no Vector.get().
 */

export type Cell = DuckDBValue;

const LIST_VARCHAR = LIST(VARCHAR);

function valid(bitmap: Uint8Array | undefined, nullCount: number, i: number): boolean {
  return nullCount === 0 || !bitmap || bitmap.length === 0 || ((bitmap[i >> 3] >> (i & 7)) & 1) === 1;
}

function strings(data: arrow.Data<arrow.Utf8>): (string | null)[] {
  const offsets = data.valueOffsets as Int32Array;
  const v = data.values as Uint8Array;
  const bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  const out = new Array<string | null>(data.length);
  for (let i = 0; i < data.length; i++) {
    out[i] = valid(data.nullBitmap, data.nullCount, i)
      ? bytes.toString('utf8', offsets[i], offsets[i + 1])
      : null;
  }
  return out;
}

/** One column's values, in row order; null for NULL. */
export function columnCells(data: arrow.Data, type: ColumnType): Cell[] {
  const n = data.length;
  const out = new Array<Cell>(n);
  const isValid = (i: number) => valid(data.nullBitmap, data.nullCount, i);
  switch (type) {
    case 'utf8':
    case 'json':
      return strings(data as arrow.Data<arrow.Utf8>);
    case 'int32':
    case 'float64':
    case 'int64': {
      const values = data.values as Int32Array | Float64Array | BigInt64Array;
      for (let i = 0; i < n; i++) out[i] = isValid(i) ? values[i] : null;
      return out;
    }
    case 'date': {
      const values = data.values as Int32Array;
      for (let i = 0; i < n; i++) out[i] = isValid(i) ? new DuckDBDateValue(values[i]) : null;
      return out;
    }
    case 'timestamp': {
      const values = data.values as BigInt64Array;
      for (let i = 0; i < n; i++) out[i] = isValid(i) ? new DuckDBTimestampTZValue(values[i]) : null;
      return out;
    }
    case 'bool': {
      const values = data.values as Uint8Array;
      for (let i = 0; i < n; i++) out[i] = isValid(i) ? ((values[i >> 3] >> (i & 7)) & 1) === 1 : null;
      return out;
    }
    case 'list_utf8': {
      const offsets = data.valueOffsets as Int32Array;
      const items = strings(data.children[0] as arrow.Data<arrow.Utf8>);
      for (let i = 0; i < n; i++)
        out[i] = isValid(i) ? listValue(items.slice(offsets[i], offsets[i + 1])) : null;
      return out;
    }
  }
}

/** Every column of a batch as cells. */
export function batchCells(batch: arrow.RecordBatch, types: readonly ColumnType[]): Cell[][] {
  return types.map((t, c) => columnCells(batch.getChildAt(c)!.data[0], t));
}

/** Appends one cell with the appender method of its column type. */
export function appendCell(app: DuckDBAppender, type: ColumnType, v: Cell): void {
  if (v === null) {
    app.appendNull();
    return;
  }
  switch (type) {
    case 'utf8':
    case 'json':
      app.appendVarchar(v as string);
      return;
    case 'int32':
      app.appendInteger(v as number);
      return;
    case 'int64':
      app.appendBigInt(v as bigint);
      return;
    case 'float64':
      app.appendDouble(v as number);
      return;
    case 'bool':
      app.appendBoolean(v as boolean);
      return;
    case 'timestamp':
      app.appendTimestampTZ(v as DuckDBTimestampTZValue);
      return;
    case 'date':
      app.appendDate(v as DuckDBDateValue);
      return;
    case 'list_utf8':
      app.appendList(v as DuckDBListValue, LIST_VARCHAR);
      return;
  }
}
