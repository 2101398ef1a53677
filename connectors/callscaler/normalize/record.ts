import { describeValue } from '../../../src/describe.js';
import type { ColumnValue } from '../../../src/schema/table.js';
import { callsSchema } from '../schema.js';
import { deriveColumns } from './derive.js';
import { checkFor, type FieldCheck, Invalid } from './fields.js';
import { col, WIDTH } from './layout.js';
import type { PiiRules } from './pii.js';
import { QualityTally } from './quality.js';
import { compileRowSettings, type RowSettings } from './settings.js';

export interface RowMeta {
  account: string;
  runId: string;
  syncedAtMs: number;
  extract: 'list' | 'export' | 'lookup';
  /** Time zone and PII modes (the defaults when absent: UTC, every field kept). */
  settings?: RowSettings;
}

export type NormalizeResult =
  | { ok: true; row: ColumnValue[] }
  | { ok: false; reason: string; field?: string };

/** The record keys the schema knows (api and include columns), with their position and type check. */
const KNOWN = new Map<string, { index: number; check: FieldCheck }>(
  callsSchema.columns.flatMap((c, index) =>
    c.origin === 'api' || c.origin === 'include'
      ? [[c.name, { index, check: checkFor(c.type) }] as const]
      : [],
  ),
);
const CREATED_AT = col('created_at');
const ACCOUNT = col('account');
const EXTRA = col('_extra');
const SYNCED_AT = col('_synced_at');
const RUN_ID = col('_run_id');
const EXTRACT = col('_extract');

const reject = (reason: string, field?: string): NormalizeResult =>
  field === undefined ? { ok: false, reason } : { ok: false, reason, field };

/** Where the AI checks of callers that do not report them go. */
const untallied = new QualityTally();

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * One API call record (parsed JSON; for an export row, the reference CsvRowNormalizer agrees with) → a row in
 * `callsSchema` column order. Strict: values keep the type and content the API sent, a value of the wrong type rejects
 * the record (with a reason naming the field), unknown keys are kept in `_extra`, derived columns are added.
 * Enum fields (status, direction, ai_category) keep values this code does not know; `tally` hears of
 * those and of AI scores out of range. Personal fields are hashed or dropped per `meta.settings` before
 * anything is derived from them.
 */
export function normalizeCall(raw: unknown, meta: RowMeta, tally: QualityTally = untallied): NormalizeResult {
  const { pii } = compileRowSettings(meta.settings);
  if (!isPlainObject(raw)) return reject('record is not an object');
  const id = raw.id;
  if (id === undefined || id === null || id === '') return reject('id: missing', 'id');
  if (typeof id !== 'string') return reject(`id: expected string, got ${describeValue(id)}`, 'id');

  const row: ColumnValue[] = new Array(WIDTH).fill(null);
  let extra: string[] | null = null;
  for (const key in raw) {
    const value = raw[key];
    if (value === undefined) continue;
    const known = KNOWN.get(key);
    if (known === undefined) {
      if (extra === null) extra = [];
      extra.push(key);
      continue;
    }
    const checked = known.check(value, key);
    if (checked instanceof Invalid) return reject(pii.reasonFor(key, value, checked.reason), key);
    row[known.index] = checked;
  }
  // Every call happened at some instant; without one it has no date window or partition to live in.
  if (row[CREATED_AT] === null) return reject('created_at: missing', 'created_at');

  if (extra !== null) {
    const text = extraJson(raw, extra, pii);
    if (text instanceof Invalid) return reject(text.reason, '_extra');
    row[EXTRA] = text;
  }
  completeRow(row, meta, tally);
  return { ok: true, row };
}

/**
 * The rest of a row whose record fields are checked (and `_extra` set): the AI checks, the PII modes, the
 * derived columns, the meta columns.
 */
export function completeRow(row: ColumnValue[], meta: RowMeta, tally: QualityTally): void {
  const { dayOf, pii } = compileRowSettings(meta.settings);
  tally.check(row);
  if (pii.active) pii.applyToRow(row);
  deriveColumns(row, dayOf, pii.callerNumberKept);
  row[ACCOUNT] = meta.account;
  row[SYNCED_AT] = meta.syncedAtMs;
  row[RUN_ID] = meta.runId;
  row[EXTRACT] = meta.extract;
}

/**
 * Unknown keys as a JSON object, in the record's key order (JavaScript lists integer-like keys first:
 * that order is already gone once the JSON is parsed). Built as text so a `__proto__` key stays a key.
 */
function extraJson(raw: Record<string, unknown>, keys: string[], pii: PiiRules): string | Invalid {
  const parts: string[] = [];
  for (const key of keys) {
    let value: string | undefined;
    try {
      value = JSON.stringify(pii.mask(raw[key], pii.modeOfKey(key)));
    } catch (err) {
      return new Invalid(`${key}: not representable as JSON (${err instanceof Error ? err.message : err})`);
    }
    if (value !== undefined) parts.push(`${JSON.stringify(key)}:${value}`);
  }
  return `{${parts.join(',')}}`;
}
