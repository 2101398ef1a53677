import type * as arrow from 'apache-arrow';
import { DataError } from '../errors.js';
import type { ColumnValue } from '../schema/table.js';

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

const MAX_QUOTED = 80;

/** `string "abc…"`, `number 1.5`, `bigint 7`, `array`, `object`, `boolean true` — short, never huge. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return `string ${quote(value)}`;
    case 'number':
    case 'bigint':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    default:
      return typeof value;
  }
}

/** A JSON-quoted string cut to 80 characters, for messages about bad values. */
export function quote(value: string): string {
  return value.length > MAX_QUOTED ? `${JSON.stringify(value.slice(0, MAX_QUOTED))}…` : JSON.stringify(value);
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
