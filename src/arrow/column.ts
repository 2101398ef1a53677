import type * as arrow from 'apache-arrow';
import { describeValue } from '../describe.js';
import { DataError } from '../errors.js';
import type { ColumnValue } from '../schema/table.js';
import { Validity } from './validity.js';

/**
 * Accumulates one column's values in typed arrays and hands them to Arrow as one `Data` per batch.
 * `append` checks the value before it mutates anything, so a rejected value leaves the column as it was.
 */
export interface ColumnBuilder {
  readonly length: number;
  /** Rough bytes held, for callers that flush by size (long transcriptions). */
  readonly byteLength: number;
  append(value: ColumnValue): void;
  /** Drops entries from `length` on (rolls back the other columns of a row that failed). */
  truncate(length: number): void;
  /** Exact-size copies of the accumulated values as Arrow data; then starts over, keeping capacity. */
  finish(): arrow.Data;
}

/**
 * The part every column shares: a length and a validity bitmap. Subclasses own their value buffers, roll
 * them back in `truncateValues`, and end `finish` with `restart` once the Arrow data holds its copies.
 */
export abstract class NullableColumn implements ColumnBuilder {
  protected readonly validity = new Validity();
  length = 0;

  abstract readonly byteLength: number;
  abstract append(value: ColumnValue): void;
  abstract finish(): arrow.Data;

  truncate(length: number): void {
    if (length >= this.length) return;
    this.truncateValues(length);
    this.validity.truncate(length, this.length);
    this.length = length;
  }

  /** Value buffers that are not simply overwritten by the next append roll back to `length` here. */
  protected truncateValues(_length: number): void {}

  /** The `length`, `nullCount` and `nullBitmap` of `makeData` for the first `n` entries. */
  protected nullFields(n: number): { length: number; nullCount: number; nullBitmap: Uint8Array | undefined } {
    return { length: n, nullCount: this.validity.nullCount, nullBitmap: this.validity.finish(n) };
  }

  /** Starts the next batch, keeping capacity. */
  protected restart(): void {
    this.length = 0;
    this.validity.reset();
  }
}

export function typeError(expected: string, value: unknown): DataError {
  return new DataError(`expected ${expected}, got ${describeValue(value)}`);
}

/** Next capacity for a buffer that must hold at least `needed` elements. */
export function grownCapacity(current: number, needed: number): number {
  let next = Math.max(current, 16);
  while (next < needed) next *= 2;
  return next;
}

/** `array` copied into a larger array of its own type that holds at least `needed` elements. */
export function grownArray<T extends Int32Array | Float64Array | BigInt64Array>(array: T, needed: number): T {
  const next = new (array.constructor as new (length: number) => T)(grownCapacity(array.length, needed));
  // set() takes each array type's own elements; TypeScript cannot relate them through the union.
  next.set(array as never);
  return next;
}
