// Shared by the PII and time zone tests: the reference hash, row settings, a CSV of records, rows of a batch.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import type { ListPageTask } from '../../connectors/callscaler/extract/list-decode.js';
import { carriedColumns, listFields } from '../../connectors/callscaler/normalize/carried.js';
import type { PiiModes } from '../../connectors/callscaler/normalize/pii.js';
import type { RowMeta } from '../../connectors/callscaler/normalize/record.js';
import type { RowSettings } from '../../connectors/callscaler/normalize/settings.js';
import { listTree } from './files.js';

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

/** A list page task as the worker thread receives it (window w, page 1). */
export function pageTask(body: string, meta: RowMeta): ListPageTask {
  return {
    columns: carriedColumns(listFields(['transcription', 'summary'])),
    body: new Uint8Array(Buffer.from(body)),
    endpoint: 'GET /calls',
    where: 'GET /calls window w page 1',
    window: 'w',
    secrets: [],
    meta,
  };
}

/** Both extract paths into both destinations. */
export const PATHS_AND_DESTINATIONS = [
  ['list', 'duckdb'],
  ['list', 'parquet'],
  ['export', 'duckdb'],
  ['export', 'parquet'],
] as const;

/**
 * A destination of `type` kept in `dir`, and how a reader reaches its tables: the DuckDB file, or DuckDB in
 * memory over the Parquet files (`from('calls')` is a table name or a read_parquet over its files).
 */
export function destinationIn(dir: string, type: 'duckdb' | 'parquet') {
  const destination =
    type === 'duckdb'
      ? ({ type, path: path.join(dir, 'calls.duckdb') } as const)
      : ({ type, dir: path.join(dir, 'pq') } as const);
  return {
    destination,
    db: destination.type === 'duckdb' ? destination.path : ':memory:',
    from: (table: string, options = '') =>
      type === 'duckdb' ? table : `read_parquet('${path.join(dir, 'pq', table)}/**/*.parquet'${options})`,
  };
}

/** Which needles occur in `bytes` (as UTF-8). */
export function found(bytes: Buffer, needles: readonly string[]): string[] {
  return needles.filter((n) => bytes.includes(Buffer.from(n, 'utf8')));
}

/** Every file below `dir` that holds a needle, with the needles it holds: every byte of it is searched. */
export async function leaksIn(dir: string, needles: readonly string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const file of await listTree(dir)) {
    const hits = found(await fs.readFile(path.join(dir, file)), needles);
    if (hits.length > 0) out[file] = hits;
  }
  return out;
}
