import { describeValue, quote } from '../../../src/describe.js';
import type { ColumnDef, ColumnValue } from '../../../src/schema/table.js';
import { parseInstant } from './instant.js';

/** A refused value: the reason names the field and quotes at most 80 characters of the value. */
export class Invalid {
  constructor(readonly reason: string) {}
}

/** Checks one JSON value for a column; returns the column value or an `Invalid`. Never sees undefined. */
export type FieldCheck = (value: unknown, field: string) => ColumnValue | Invalid;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const expected = (field: string, what: string, value: unknown): Invalid =>
  new Invalid(`${field}: expected ${what}, got ${describeValue(value)}`);

const text: FieldCheck = (v, field) =>
  v === null || typeof v === 'string' ? v : expected(field, 'string', v);

const float: FieldCheck = (v, field) =>
  v === null || typeof v === 'number' ? v : expected(field, 'number', v);

const bool: FieldCheck = (v, field) =>
  v === null || typeof v === 'boolean' ? v : expected(field, 'boolean', v);

const int32: FieldCheck = (v, field) => {
  if (v === null) return null;
  if (typeof v !== 'number') return expected(field, 'integer', v);
  if (!Number.isInteger(v)) return new Invalid(`${field}: expected integer, got number ${v}`);
  if (v < INT32_MIN || v > INT32_MAX) return new Invalid(`${field}: integer out of int32 range: ${v}`);
  return v;
};

/** JSON numbers beyond 2^53 have already lost digits in JSON.parse: refuse rather than store a wrong value. */
const int64: FieldCheck = (v, field) => {
  if (v === null) return null;
  if (typeof v === 'bigint') {
    return v >= INT64_MIN && v <= INT64_MAX ? v : new Invalid(`${field}: integer out of int64 range: ${v}`);
  }
  if (typeof v !== 'number') return expected(field, 'integer', v);
  if (!Number.isInteger(v)) return new Invalid(`${field}: expected integer, got number ${v}`);
  if (!Number.isSafeInteger(v)) return new Invalid(`${field}: integer too large to be exact in JSON: ${v}`);
  return BigInt(v);
};

const instant: FieldCheck = (v, field) => {
  if (v === null) return null;
  if (typeof v !== 'string') return expected(field, 'ISO 8601 string', v);
  const ms = parseInstant(v);
  return ms === null ? new Invalid(`${field}: not an ISO 8601 instant: ${quote(v)}`) : ms;
};

const stringList: FieldCheck = (v, field) => {
  if (v === null) return null;
  if (!Array.isArray(v)) return expected(field, 'array of strings', v);
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'string') return expected(`${field}[${i}]`, 'string', v[i]);
  }
  return v as string[];
};

const CHECKS: Record<ColumnDef['type'], FieldCheck> = {
  utf8: text,
  json: text,
  int32,
  int64,
  float64: float,
  bool,
  timestamp: instant,
  date: (_v, field) => new Invalid(`${field}: a date column is derived, never read from a record`),
  list_utf8: stringList,
};

export function checkFor(type: ColumnDef['type']): FieldCheck {
  return CHECKS[type];
}
