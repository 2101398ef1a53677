import * as arrow from 'apache-arrow';
import type { ColumnValue } from '../schema/table.js';
import { grownArray, NullableColumn, typeError } from './column.js';
import { Utf8Column } from './utf8-column.js';

/** list<utf8>: int32 offsets into a child utf8 column. A null list and an empty list stay distinct. */
export class ListUtf8Column extends NullableColumn {
  private offsets = new Int32Array(256 + 1);
  private readonly items: Utf8Column;

  constructor(private readonly type: arrow.List<arrow.Utf8>) {
    super();
    this.items = new Utf8Column(type.children[0].type);
  }

  get byteLength(): number {
    return this.items.byteLength + this.length * 4;
  }

  append(value: ColumnValue): void {
    const i = this.length;
    if (value !== null) {
      if (!Array.isArray(value)) throw typeError('list of strings', value);
      for (let k = 0; k < value.length; k++) {
        if (typeof value[k] !== 'string') throw typeError(`list of strings (item ${k})`, value[k]);
      }
    }
    if (i + 1 === this.offsets.length) this.offsets = grownArray(this.offsets, i + 2);
    if (value === null) {
      this.validity.set(i, false);
    } else {
      for (const item of value as readonly string[]) this.items.push(item);
      this.validity.set(i, true);
    }
    this.offsets[i + 1] = this.items.length;
    this.length = i + 1;
  }

  protected override truncateValues(length: number): void {
    this.items.truncate(this.offsets[length]);
  }

  finish(): arrow.Data<arrow.List<arrow.Utf8>> {
    const n = this.length;
    const data = arrow.makeData({
      type: this.type,
      ...this.nullFields(n),
      valueOffsets: this.offsets.slice(0, n + 1),
      child: this.items.finish(),
    });
    this.restart();
    return data;
  }
}
