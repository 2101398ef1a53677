import type { QueryResult } from '../load/reader.js';

/** How query-like commands print rows on stdout. */
export const OUTPUT_FORMATS = ['table', 'csv', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const INTEGER_TYPES =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;
const MAX_CELL = 60;

export function formatRows(result: QueryResult, format: OutputFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(jsonRows(result))}\n`;
    case 'csv':
      return csv(result);
    case 'table':
      return `${table(result)}\n`;
  }
}

/**
 * Row objects for JSON: integers within 2^53 as numbers, larger ones as strings (a JSON reader would round
 * them); instants as ISO 8601 in UTC.
 */
export function jsonRows(result: QueryResult): Record<string, unknown>[] {
  const convert = result.columns.map((c) => converter(c.type));
  return result.rows.map((row) =>
    Object.fromEntries(result.columns.map((c, i) => [c.name, convert[i](row[i])])),
  );
}

function converter(type: string): (v: unknown) => unknown {
  if (INTEGER_TYPES.test(type)) {
    return (v) => {
      if (typeof v !== 'string') return v;
      const n = Number(v);
      return Number.isSafeInteger(n) ? n : v;
    };
  }
  if (type === 'TIMESTAMP WITH TIME ZONE') {
    return (v) => (typeof v === 'string' ? isoInstant(v) : v);
  }
  return (v) => v;
}

/** `2026-01-01 10:00:00.5+00` (DuckDB in a UTC session) → `2026-01-01T10:00:00.500Z`. */
function isoInstant(text: string): string {
  const t = Date.parse(text.replace(' ', 'T').replace(/\+00$/, 'Z'));
  return Number.isNaN(t) ? text : new Date(t).toISOString();
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** RFC 4180: a header line, CRLF-free values quoted when they hold a comma, quote or line break. */
function csv(result: QueryResult): string {
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const lines = [result.columns.map((c) => quote(c.name)).join(',')];
  for (const row of result.rows) lines.push(row.map((v) => quote(cellText(v))).join(','));
  return `${lines.join('\n')}\n`;
}

/** Aligned columns for a terminal: long values cut, line breaks shown as ⏎, numbers to the right. */
export function table(result: QueryResult): string {
  if (result.rows.length === 0) return `(no rows; columns: ${result.columns.map((c) => c.name).join(', ')})`;
  const cells = result.rows.map((row) =>
    row.map((v) => {
      const s = cellText(v).replace(/\r?\n/g, '⏎');
      return s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s;
    }),
  );
  const names = result.columns.map((c) => c.name);
  const right = result.columns.map(
    (c) => INTEGER_TYPES.test(c.type) || /^(DOUBLE|FLOAT|DECIMAL)/.test(c.type),
  );
  const widths = names.map((n, i) => Math.max(n.length, ...cells.map((r) => r[i].length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => (right[i] ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const count = `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`;
  return [line(names), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line), count].join('\n');
}
