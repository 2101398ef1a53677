import * as arrow from 'apache-arrow';
import { DataError } from '../errors.js';
import type { ColumnValue } from '../schema/table.js';
import { grownArray, grownCapacity, NullableColumn, typeError } from './column.js';

// Small: a builder per page is common; capacity doubles quickly and survives finish().
const INITIAL_ROWS = 256;
const INITIAL_BYTES = 8 * 1024;
/** Utf8 offsets are int32: one batch's column holds at most 2 GiB of text. */
const MAX_BYTES = 2 ** 31 - 1;

type Utf8Write = (this: Buffer, text: string, offset: number) => number;
/**
 * `Buffer#write` is `utf8Write` behind argument and encoding handling that cost more than the encoding of a
 * short string (most cells are ids, numbers, names, enums): the text columns of a row took ~12% less time
 * calling it directly. It is undocumented (on every Node since 0.x), hence the fallback.
 */
const utf8Write: Utf8Write =
  typeof (Buffer.prototype as { utf8Write?: unknown }).utf8Write === 'function'
    ? (Buffer.prototype as unknown as { utf8Write: Utf8Write }).utf8Write
    : function (this: Buffer, text: string, offset: number) {
        return this.write(text, offset, 'utf8');
      };

/**
 * Utf8 as Arrow lays it out: int32 offsets plus one byte buffer. Strings are encoded straight into the
 * buffer with `Buffer#write` (no per-string arrays); the buffer doubles when a string may not fit.
 */
export class Utf8Column extends NullableColumn {
  private offsets = new Int32Array(INITIAL_ROWS + 1);
  private bytes = Buffer.allocUnsafeSlow(INITIAL_BYTES);

  constructor(private readonly type: arrow.Utf8 = new arrow.Utf8()) {
    super();
  }

  get byteLength(): number {
    return this.offsets[this.length] + this.length * 4;
  }

  append(value: ColumnValue): void {
    if (value !== null && typeof value !== 'string') throw typeError('string', value);
    this.push(value);
  }

  /** Appends a string (or null) already known to be one: the list column's path for its items. */
  push(value: string | null): void {
    const i = this.length;
    if (i + 1 === this.offsets.length) this.offsets = grownArray(this.offsets, i + 2);
    let end = this.offsets[i];
    if (value === null) {
      this.validity.set(i, false);
    } else {
      if (value.length > 0) {
        // UTF-16 code units become at most 3 bytes each; measure exactly only when that bound does not fit.
        if (end + value.length * 3 > this.bytes.length)
          this.growBytes(end + Buffer.byteLength(value, 'utf8'));
        end += utf8Write.call(this.bytes, value, end);
      }
      this.validity.set(i, true);
    }
    this.offsets[i + 1] = end;
    this.length = i + 1;
  }

  finish(): arrow.Data<arrow.Utf8> {
    const n = this.length;
    const data = arrow.makeData({
      type: this.type,
      ...this.nullFields(n),
      valueOffsets: this.offsets.slice(0, n + 1),
      data: copyBytes(this.bytes, this.offsets[n]),
    });
    this.restart();
    return data;
  }

  private growBytes(needed: number): void {
    if (needed > MAX_BYTES) {
      throw new DataError(
        `a utf8 column would exceed 2 GiB in one batch (${needed} bytes); finish batches sooner`,
      );
    }
    // Slack for the 3-bytes-per-unit bound of the string being written.
    const next = Buffer.allocUnsafeSlow(Math.min(MAX_BYTES, grownCapacity(this.bytes.length, needed + 1024)));
    this.bytes.copy(next, 0, 0, this.offsets[this.length]);
    this.bytes = next;
  }
}

/** An exact-size copy. `new Uint8Array(buffer)` would copy element by element; `set` is a memcpy. */
function copyBytes(source: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(source.subarray(0, length));
  return out;
}
