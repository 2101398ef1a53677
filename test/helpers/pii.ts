// Shared by the PII and time zone tests: the reference hash, row settings, a CSV of records, rows of a batch.
import { createHash } from 'node:crypto';
import type { RecordBatch } from 'apache-arrow';
import type { PiiModes } from '../../connectors/callscaler/normalize/pii.js';
import type { RowSettings } from '../../connectors/callscaler/normalize/settings.js';

/** The reference for `hash`: lowercase hex SHA-256 of salt + value, computed here, not by the product. */
export function sha256Of(salt: string, value: string): string {
  return createHash('sha256').update(`${salt}${value}`, 'utf8').digest('hex');
}

const KEEP = {
  caller_number: 'keep',
  caller_name: 'keep',
  transcription: 'keep',
  summary: 'keep',
  recording_url: 'keep',
} as const;

/** Row settings with the given modes (the rest kept). */
export function rowSettings(pii: Partial<PiiModes>, salt: string | null, timezone = 'UTC'): RowSettings {
  return { timezone, pii: { ...KEEP, ...pii }, piiSalt: salt };
}

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const text = Array.isArray(v) ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** An export CSV of `records` (snake_case header from the first record's keys, lists as JSON, CRLF). */
export function csvOf(records: readonly Record<string, unknown>[]): string {
  const keys = Object.keys(records[0]);
  const lines = [keys.join(','), ...records.map((r) => keys.map((k) => cell(r[k])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** A batch's rows as plain objects (lists as arrays). */
export function batchRows(batch: RecordBatch | null): Record<string, unknown>[] {
  if (batch === null) return [];
  const names = batch.schema.fields.map((f) => f.name);
  const rows: Record<string, unknown>[] = [];
  for (let r = 0; r < batch.numRows; r++) {
    const row: Record<string, unknown> = {};
    names.forEach((name, i) => {
      const v = batch.getChildAt(i)?.get(r);
      row[name] = v !== null && typeof v === 'object' && Symbol.iterator in v ? [...v] : v;
    });
    rows.push(row);
  }
  return rows;
}
