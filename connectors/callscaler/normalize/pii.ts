import { hash } from 'node:crypto';
import { rawText } from '../../../src/connector/reject.js';
import type { ColumnValue } from '../../../src/schema/table.js';
import { PII_FIELDS, type PII_MODES } from '../schema.js';
import { HEADER_ALIASES, headerKey } from './csv.js';
import { col } from './layout.js';

/**
 * `streams.calls.pii`: each personal field kept, hashed (SHA-256 of salt + value) or dropped (NULL) in the
 * normalize step, before a row, a reject or a message is made of it, so a value that is not kept is written
 * nowhere: not in the row, its derived columns, `_extra`, a rejected record's raw text or a reject reason.
 */

export type PiiField = (typeof PII_FIELDS)[number];
export type PiiMode = (typeof PII_MODES)[number];
export type PiiModes = Readonly<Record<PiiField, PiiMode>>;

export const KEEP_ALL: PiiModes = Object.fromEntries(PII_FIELDS.map((f) => [f, 'keep'])) as PiiModes;

/** What `_rejected.raw` holds for an export line when a field is not kept: a broken line cannot be masked. */
export const RAW_WITHHELD = '(raw text withheld: streams.calls.pii is set)';

/** Lowercase hex SHA-256 of the salt followed by the value, in UTF-8. */
export function piiHash(salt: string, value: string): string {
  return hash('sha256', salt + value, 'hex');
}

/**
 * Record keys that carry a personal field, by their snake_case form: the fields themselves, and the export
 * header aliases of them (a "Transcript" column beside "Transcription" lands in `_extra` with the text).
 */
const KEY_FIELD = new Map<string, PiiField>(PII_FIELDS.map((f) => [f, f]));
for (const [alias, target] of Object.entries(HEADER_ALIASES)) {
  const field = KEY_FIELD.get(target);
  if (field !== undefined) KEY_FIELD.set(alias, field);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The PII settings of a stream, ready for rows: only the fields that are not kept cost anything. */
export class PiiRules {
  /** Whether any field is hashed or dropped. */
  readonly active: boolean;
  readonly callerNumberKept: boolean;
  private readonly masked: readonly { readonly index: number; readonly mode: PiiMode }[];

  constructor(
    private readonly modes: PiiModes,
    private readonly salt: string | null,
  ) {
    this.masked = PII_FIELDS.filter((f) => modes[f] !== 'keep').map((f) => ({
      index: col(f),
      mode: modes[f],
    }));
    this.active = this.masked.length > 0;
    this.callerNumberKept = modes.caller_number === 'keep';
    if (this.masked.some((m) => m.mode === 'hash') && !salt) throw new Error('pii: hash needs a salt');
  }

  /** Hashes or drops the personal columns of a checked row (their values are strings or null). */
  applyToRow(row: ColumnValue[]): void {
    for (const { index, mode } of this.masked) {
      const value = row[index];
      if (value !== null) row[index] = mode === 'drop' ? null : piiHash(this.salt!, value as string);
    }
  }

  /** The mode of a record key that carries a personal field (also in another case or as an alias), else keep. */
  modeOfKey(key: string): PiiMode {
    if (!this.active) return 'keep';
    const field = KEY_FIELD.get(key) ?? KEY_FIELD.get(headerKey(key));
    return field === undefined ? 'keep' : this.modes[field];
  }

  /** A value as `mode` stores it: strings as sent, anything else as its JSON text (what the API sent). */
  mask(value: unknown, mode: PiiMode): unknown {
    if (mode === 'keep' || value === null || value === undefined) return value;
    if (mode === 'drop') return null;
    return piiHash(this.salt!, typeof value === 'string' ? value : String(JSON.stringify(value)));
  }

  /** A reject reason about a field that is not kept names its type, never its value. */
  reasonFor(key: string, value: unknown, reason: string): string {
    return this.modeOfKey(key) === 'keep' ? reason : `${key}: expected string, got ${kindOf(value)}`;
  }

  /**
   * The raw text `_rejected` keeps of a list record: its personal fields hashed or dropped as in a row; a
   * record that is not an object has no fields to mask, so its text is withheld.
   */
  rawText(record: unknown): string {
    if (!this.active) return rawText(record);
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return RAW_WITHHELD;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      // defineProperty: a `__proto__` key stays a key
      Object.defineProperty(out, key, {
        value: this.mask(value, this.modeOfKey(key)),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return rawText(out);
  }
}
