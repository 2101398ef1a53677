import * as arrow from 'apache-arrow';
import type { ColumnValue } from '../schema/table.js';
import { type ColumnBuilder, grownArray, NullableColumn, typeError } from './column.js';
import { Validity } from './validity.js';

const INITIAL_CAPACITY = 256;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const TWO_POW_32 = 2 ** 32;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

type NumberArray = Int32Array | Float64Array;

/** int32, float64 and date (days) columns: one number per slot. */
class NumberColumn extends NullableColumn {
  private values: NumberArray;

  constructor(
    private readonly type: arrow.Int32 | arrow.Float64 | arrow.DateDay,
    ArrayType: typeof Int32Array | typeof Float64Array,
    private readonly check: (v: ColumnValue) => v is number,
    private readonly expected: string,
  ) {
    super();
    this.values = new ArrayType(INITIAL_CAPACITY);
  }

  get byteLength(): number {
    return this.length * this.values.BYTES_PER_ELEMENT;
  }

  append(value: ColumnValue): void {
    const i = this.length;
    if (i === this.values.length) this.values = grownArray(this.values, i + 1);
    if (value === null) {
      this.values[i] = 0;
      this.validity.set(i, false);
    } else if (this.check(value)) {
      this.values[i] = value;
      this.validity.set(i, true);
    } else {
      throw typeError(this.expected, value);
    }
    this.length = i + 1;
  }

  finish(): arrow.Data {
    // One code path for three Arrow types; makeData's overloads cannot express the union, hence the casts.
    const data = arrow.makeData({
      type: this.type as arrow.Int32,
      ...this.nullFields(this.length),
      data: this.values.slice(0, this.length) as unknown as Int32Array,
    });
    this.restart();
    return data;
  }
}

const isInt32 = (v: ColumnValue): v is number =>
  Number.isInteger(v) && (v as number) >= INT32_MIN && (v as number) <= INT32_MAX;
const isNumber = (v: ColumnValue): v is number => typeof v === 'number';

export const int32Column = (type: arrow.Int32): ColumnBuilder =>
  new NumberColumn(type, Int32Array, isInt32, 'int32');
export const float64Column = (type: arrow.Float64): ColumnBuilder =>
  new NumberColumn(type, Float64Array, isNumber, 'float64');
/** Values are days since 1970-01-01. */
export const dateDayColumn = (type: arrow.DateDay): ColumnBuilder =>
  new NumberColumn(type, Int32Array, isInt32, 'date (integer days since epoch)');

/**
 * int64 and timestamp (microseconds) columns. Numbers are written as two 32-bit halves, which avoids a
 * BigInt allocation per value on the common path (timestamps arrive as epoch-ms numbers).
 */
class Int64Column extends NullableColumn {
  private values = new BigInt64Array(INITIAL_CAPACITY);
  private words = new Int32Array(this.values.buffer);

  /** `scale` multiplies number inputs (1000 turns epoch ms into µs); bigint inputs are taken as stored. */
  constructor(
    private readonly type: arrow.Int64 | arrow.TimestampMicrosecond,
    private readonly scale: number,
    private readonly expected: string,
  ) {
    super();
  }

  get byteLength(): number {
    return this.length * 8;
  }

  append(value: ColumnValue): void {
    const i = this.length;
    if (i === this.values.length) this.grow(i + 1);
    if (value === null) {
      this.values[i] = 0n;
      this.validity.set(i, false);
    } else if (typeof value === 'number') {
      // Rounding keeps sub-millisecond precision for fractional ms and removes float noise (1.001 * 1000).
      const v = this.scale === 1 ? value : Math.round(value * this.scale);
      if (!Number.isSafeInteger(v)) {
        // Beyond ±2^53 µs (years before 1685 or after 2255): scale in BigInt, from a safe ms integer.
        this.values[i] = this.scaleWide(value);
      } else if (LITTLE_ENDIAN) {
        this.words[2 * i] = (v % TWO_POW_32) | 0;
        this.words[2 * i + 1] = Math.floor(v / TWO_POW_32) | 0;
      } else {
        this.values[i] = BigInt(v);
      }
      this.validity.set(i, true);
    } else if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) {
      this.values[i] = value;
      this.validity.set(i, true);
    } else {
      throw typeError(this.expected, value);
    }
    this.length = i + 1;
  }

  private scaleWide(value: number): bigint {
    const whole = Math.trunc(value);
    if (this.scale === 1 || !Number.isSafeInteger(whole)) throw typeError(this.expected, value);
    const scale = BigInt(this.scale);
    const v = BigInt(whole) * scale + BigInt(Math.round((value - whole) * this.scale));
    if (v < INT64_MIN || v > INT64_MAX) throw typeError(this.expected, value);
    return v;
  }

  finish(): arrow.Data {
    const data = arrow.makeData({
      type: this.type as arrow.Int64,
      ...this.nullFields(this.length),
      data: this.values.slice(0, this.length),
    });
    this.restart();
    return data;
  }

  private grow(needed: number): void {
    this.values = grownArray(this.values, needed);
    this.words = new Int32Array(this.values.buffer);
  }
}

export const int64Column = (type: arrow.Int64): ColumnBuilder =>
  new Int64Column(type, 1, 'int64 (bigint or safe integer number)');
/** Values are epoch milliseconds (fractions kept to the microsecond). */
export const timestampColumn = (type: arrow.TimestampMicrosecond): ColumnBuilder =>
  new Int64Column(type, 1000, 'timestamp (epoch milliseconds)');

/** Booleans, bit-packed: a second bitmap where a set bit is `true`. */
class BoolColumn extends NullableColumn {
  private readonly values = new Validity();

  constructor(private readonly type: arrow.Bool) {
    super();
  }

  get byteLength(): number {
    return this.length >> 2;
  }

  append(value: ColumnValue): void {
    const i = this.length;
    if (value === null) {
      this.values.set(i, false);
      this.validity.set(i, false);
    } else if (typeof value === 'boolean') {
      this.values.set(i, value);
      this.validity.set(i, true);
    } else {
      throw typeError('bool', value);
    }
    this.length = i + 1;
  }

  protected override truncateValues(length: number): void {
    this.values.truncate(length, this.length);
  }

  finish(): arrow.Data {
    const data = arrow.makeData({
      type: this.type,
      ...this.nullFields(this.length),
      data: this.values.copy(this.length),
    });
    this.values.reset();
    this.restart();
    return data;
  }
}

export const boolColumn = (type: arrow.Bool): ColumnBuilder => new BoolColumn(type);
