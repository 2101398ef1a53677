/**
 * The CSV export: RFC 4180 quoting, NULL as an empty cell, and the dialect chosen by the `csv` fault
 * switch (header style, BOM, line ending, booleans, list cells). Rows are streamed in chunks that wait
 * for 'drain', so a million-row export never sits in memory as one string.
 */
import type { ServerResponse } from 'node:http';
import { RESPONSE_FIELDS, UNDOCUMENTED_FIELDS } from './api-fields.js';
import { drained } from './drain.js';
import { type CallRecord, INCLUDE_NONE, type Include, PROVIDER_API_BASE, toApiCall } from './record.js';
import type { CsvVariant } from './types.js';

const CHUNK_ROWS = 256;
const NEEDS_QUOTES = /[",\r\n]/;
const LIST_FIELDS = new Set(RESPONSE_FIELDS.filter((c) => c.kind === 'list').map((c) => c.name));
const LIST_SEPARATORS: Record<Exclude<CsvVariant['lists'], 'json'>, string> = {
  semicolon: ';',
  'semicolon-space': '; ',
  comma: ',',
};

/** Column order: documented fields, then the included texts, then the undocumented number_id. */
export function csvColumns(include: Include): string[] {
  const cols = RESPONSE_FIELDS.map((c) => c.name);
  if (include.transcription) cols.push('transcription');
  if (include.summary) cols.push('summary');
  cols.push(...UNDOCUMENTED_FIELDS);
  return cols;
}

export function headerName(field: string, style: CsvVariant['headers']): string {
  if (style === 'upper') return field.toUpperCase();
  if (style === 'human')
    return field
      .split('_')
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(' ');
  return field;
}

export function quote(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatCell(value: unknown, field: string, v: CsvVariant): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') {
    if (v.booleans === 'yesno') return value ? 'yes' : 'no';
    if (v.booleans === '10') return value ? '1' : '0';
    return value ? 'true' : 'false';
  }
  if (Array.isArray(value) && LIST_FIELDS.has(field)) {
    if (v.lists === 'json') return quote(JSON.stringify(value));
    return quote(value.join(LIST_SEPARATORS[v.lists]));
  }
  return quote(String(value));
}

export function headerLine(cols: readonly string[], v: CsvVariant): string {
  return (v.bom ? '\uFEFF' : '') + cols.map((c) => quote(headerName(c, v.headers))).join(',') + v.lineEnding;
}

export function rowLine(
  rec: CallRecord,
  cols: readonly string[],
  include: Include,
  v: CsvVariant,
  apiBase = PROVIDER_API_BASE,
): string {
  const call = toApiCall(rec, include, apiBase) as Record<string, unknown>;
  let line = '';
  for (let i = 0; i < cols.length; i++) {
    if (i > 0) line += ',';
    line += formatCell(call[cols[i]], cols[i], v);
  }
  return line + v.lineEnding;
}

/** A syntactically valid line with the wrong number of columns: the malformed-export fault. */
export const MALFORMED_LINE = 'malformed-row,"only ""three"" columns",42';

export interface CsvStreamFaults {
  /** Destroy the socket after half the rows. */
  truncate: boolean;
  /** Insert MALFORMED_LINE halfway through. */
  malformed: boolean;
}

/** Writes the export body to `res` (headers already sent), honouring backpressure. */
export async function streamCsv(
  res: ServerResponse,
  rows: readonly CallRecord[],
  include: Include,
  v: CsvVariant,
  faults: CsvStreamFaults,
  apiBase = PROVIDER_API_BASE,
): Promise<void> {
  // With textColumns off the export ignores include=, as an export that only honours filters would.
  if (v.textColumns === false) include = INCLUDE_NONE;
  const cols = csvColumns(include);
  const half = Math.floor(rows.length / 2);
  const stopAt = faults.truncate ? half : rows.length;
  let chunk = headerLine(cols, v);
  for (let i = 0; i < stopAt; i++) {
    if (faults.malformed && i === half) chunk += MALFORMED_LINE + v.lineEnding;
    chunk += rowLine(rows[i], cols, include, v, apiBase);
    if ((i + 1) % CHUNK_ROWS === 0) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await drained(res);
      chunk = '';
    }
  }
  if (faults.malformed && rows.length === 0) chunk += MALFORMED_LINE + v.lineEnding;
  if (res.destroyed) return;
  if (faults.truncate) {
    // Destroy only once the half body is on the wire, so the client really sees a cut-off stream.
    if (chunk === '') setImmediate(() => res.destroy());
    else res.write(chunk, () => res.destroy());
    return;
  }
  res.end(chunk);
}
