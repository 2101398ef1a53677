import * as arrow from 'apache-arrow';
import type { ColumnValue } from '../schema/table.js';
import { type ColumnBuilder, grownCapacity, typeError } from './column.js';
import { Utf8Column } from './utf8-column.js';
import { Validity } from './validity.js';

/** list<utf8>: int32 offsets into a child utf8 column. A null list and an empty list stay distinct. */
export class ListUtf8Column implements ColumnBuilder {
  private offsets = new Int32Array(256 + 1);
  private readonly validity = new Validity();
  private readonly items: Utf8Column;
  length = 0;

  constructor(private readonly type: arrow.List<arrow.Utf8>) {
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
    if (i + 1 === this.offsets.length) this.growOffsets(i + 2);
    if (value === null) {
      this.validity.set(i, false);
    } else {
      for (const item of value as readonly string[]) this.items.push(item);
      this.validity.set(i, true);
    }
    this.offsets[i + 1] = this.items.length;
    this.length = i + 1;
  }

  truncate(length: number): void {
    if (length >= this.length) return;
    this.items.truncate(this.offsets[length]);
    this.validity.truncate(length, this.length);
    this.length = length;
  }

  finish(): arrow.Data<arrow.List<arrow.Utf8>> {
    const n = this.length;
    const data = arrow.makeData({
      type: this.type,
      length: n,
      nullCount: this.validity.nullCount,
      nullBitmap: this.validity.finish(n),
      valueOffsets: this.offsets.slice(0, n + 1),
      child: this.items.finish(),
    });
    this.length = 0;
    this.validity.reset();
    return data;
  }

  private growOffsets(needed: number): void {
    const next = new Int32Array(grownCapacity(this.offsets.length, needed));
    next.set(this.offsets);
    this.offsets = next;
  }
}
