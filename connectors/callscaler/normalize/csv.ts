import { quote } from '../../../src/describe.js';
import { DataError } from '../../../src/errors.js';
import type { ColumnType } from '../../../src/schema/table.js';
import { callsSchema } from '../schema.js';
import { Invalid } from './fields.js';

/**
 * The export's CSV rows → records shaped like the list API's JSON, so that `normalizeCall` does all the
 * normalizing for both paths. The export's columns are undocumented: headers are matched loosely, cells
 * are coerced to the JSON type of the field they map to, unknown columns are kept as text.
 */

/** One CSV column: the record key it becomes and the schema type its cells are coerced to. */
export interface CsvColumn {
  /** The header cell as the export wrote it (BOM and surrounding spaces removed). */
  readonly header: string;
  readonly key: string;
  /** null: a column the schema does not know; its cells are kept as text and land in `_extra`. */
  readonly type: ColumnType | null;
}

export interface CsvHeaderMap {
  readonly columns: readonly CsvColumn[];
  /** Headers of the columns that go to `_extra`, for a warning per export. */
  readonly unknown: readonly string[];
}

/** Record fields an export column can fill: the API's fields and the include fields. */
const FIELDS = new Map<string, ColumnType>(
  callsSchema.columns
    .filter((c) => c.origin === 'api' || c.origin === 'include')
    .map((c) => [c.name, c.type]),
);

/**
 * Other names exports use for a field. An alias counts only when the field has no column of its own and
 * exactly one column claims it (an export with both "Date" and "Call Date" maps neither).
 */
export const HEADER_ALIASES: Readonly<Record<string, string>> = {
  call_id: 'id',
  call_uuid: 'id',
  date: 'created_at',
  created: 'created_at',
  call_date: 'created_at',
  date_time: 'created_at',
  datetime: 'created_at',
  call_time: 'created_at',
  start_time: 'created_at',
  duration: 'duration_seconds',
  call_duration: 'duration_seconds',
  keywords: 'keywords_spotted',
  spotted_keywords: 'keywords_spotted',
  qualified: 'qualified_ai',
  ai_qualified: 'qualified_ai',
  category: 'ai_category',
  referrer: 'referrer_url',
  referer: 'referrer_url',
  landing_page: 'landing_page_url',
  recording: 'recording_url',
  call_flow: 'call_flow_name',
  transcript: 'transcription',
};

/** "Caller Number", "caller-number", "\uFEFFCALLER_NUMBER", "Duration (seconds)" → caller_number / duration_seconds. */
export function headerKey(cell: string): string {
  return cell
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Maps an export's header row once; throws DataError when no column is the call id, or two are one field. */
export function resolveCsvHeader(header: string[], quoteCells = true): CsvHeaderMap {
  // With personal data not kept, a "header" that is really a row of data must not be quoted in an error.
  const show = quoteCells ? quote : () => '(withheld: streams.calls.pii is set)';
  const cleaned = header.map((h) => h.replace(/^\uFEFF/, '').trim());
  const keys = cleaned.map(headerKey);
  const field: (string | null)[] = keys.map((k) => (FIELDS.has(k) ? k : null));

  const byField = new Map<string, number[]>();
  field.forEach((f, i) => {
    if (f !== null) byField.set(f, [...(byField.get(f) ?? []), i]);
  });
  for (const [f, at] of byField) {
    if (at.length > 1) {
      throw new DataError(
        `export CSV has ${at.length} columns for ${f}: ${at.map((i) => show(cleaned[i])).join(', ')}`,
      );
    }
  }
  const aliasClaims = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const target = Object.hasOwn(HEADER_ALIASES, k) ? HEADER_ALIASES[k] : undefined;
    if (field[i] === null && target !== undefined && !byField.has(target)) {
      aliasClaims.set(target, [...(aliasClaims.get(target) ?? []), i]);
    }
  });
  for (const [target, at] of aliasClaims) if (at.length === 1) field[at[0]] = target;

  if (!field.includes('id')) {
    const got = quoteCells
      ? cleaned.map((h) => quote(h)).join(', ')
      : `${cleaned.length} (names withheld: streams.calls.pii is set)`;
    throw new DataError(
      `export CSV has no id column; got columns: ${got.length > 500 ? `${got.slice(0, 500)}…` : got}`,
      { context: quoteCells ? { header: cleaned.slice(0, 100) } : {} },
    );
  }

  // Unknown columns keep their snake_case name (what the list API would call them); a header already in
  // that form has first claim to it, the others fall back to their header, then to their position.
  const used = new Set<string>(field.filter((f): f is string => f !== null));
  const unknownKey: string[] = keys.map((k, i) =>
    field[i] === null && k !== '' && k === cleaned[i] ? k : '',
  );
  for (const k of unknownKey) if (k !== '') used.add(k);
  const columns: CsvColumn[] = cleaned.map((h, i) => {
    const f = field[i];
    if (f !== null) return { header: h, key: f, type: FIELDS.get(f)! };
    let key = unknownKey[i];
    if (key === '') {
      key = keys[i] !== '' && !used.has(keys[i]) ? keys[i] : h;
      if (key === '' || used.has(key)) key = `column_${i + 1}`;
      used.add(key);
    }
    return { header: h, key, type: null };
  });
  return { columns, unknown: columns.filter((c) => c.type === null).map((c) => c.header) };
}

/** The reason for a row whose cell count differs from the header's, or null when it matches. */
export function csvCellCountReason(cells: readonly string[], map: CsvHeaderMap): string | null {
  const want = map.columns.length;
  return cells.length === want ? null : `expected ${want} cells as in the header, got ${cells.length}`;
}

const INTEGER = /^[+-]?\d+(?:\.0*)?$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['false', false],
  ['yes', true],
  ['no', false],
  ['1', true],
  ['0', false],
  ['t', true],
  ['f', false],
  ['y', true],
  ['n', false],
]);

/** A cell as the JSON value of its column's type: null when empty, an `Invalid` when it does not parse. */
export function coerceCell(cell: string, type: ColumnType | null, field: string): unknown {
  if (cell === '') return null;
  switch (type) {
    case null:
    case 'utf8':
    case 'json':
      return cell;
    case 'timestamp': {
      const t = cell.trim();
      return t === '' ? null : t;
    }
    case 'int32':
    case 'int64': {
      // The usual cell, plain digits, is the number they spell (what the general path below gives too).
      if (plainDigits(cell)) return type === 'int64' ? BigInt(cell) : Number(cell);
      const t = cell.trim();
      if (t === '') return null;
      // "85.0" is how spreadsheets write 85; "85.5" is not an integer.
      if (!INTEGER.test(t)) return new Invalid(`${field}: expected integer, got ${quote(cell)}`);
      const digits = t.replace(/\.0*$/, '');
      return type === 'int64' ? BigInt(digits) : Number(digits);
    }
    case 'float64': {
      const t = cell.trim();
      if (t === '') return null;
      return DECIMAL.test(t) ? Number(t) : new Invalid(`${field}: expected number, got ${quote(cell)}`);
    }
    case 'bool': {
      const exact = BOOLEANS.get(cell);
      if (exact !== undefined) return exact;
      const t = cell.trim();
      if (t === '') return null;
      const b = BOOLEANS.get(t.toLowerCase());
      return b ?? new Invalid(`${field}: expected boolean (true/false/yes/no/1/0), got ${quote(cell)}`);
    }
    case 'list_utf8':
      return listCell(cell, field);
    case 'date':
      return new Invalid(`${field}: not a record field`);
  }
}

/** 1 to 15 ASCII digits: a safe integer as it is written. */
function plainDigits(cell: string): boolean {
  const n = cell.length;
  if (n > 15) return false;
  for (let i = 0; i < n; i++) {
    const c = cell.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return n > 0;
}

/** `["a","b"]`, or `a; b` / `a, b` (items trimmed, empty items dropped). */
function listCell(cell: string, field: string): string[] | null | Invalid {
  const t = cell.trim();
  if (t === '') return null;
  if (t.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      return new Invalid(`${field}: not a JSON array: ${quote(cell)}`);
    }
    if (!Array.isArray(parsed) || parsed.some((x) => typeof x !== 'string')) {
      return new Invalid(`${field}: expected a JSON array of strings, got ${quote(cell)}`);
    }
    return parsed as string[];
  }
  return t
    .split(t.includes(';') ? ';' : ',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
