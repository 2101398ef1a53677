/**
 * Building HTML from text that came from the API (campaign names, keywords, run messages): every piece of
 * text goes through `escapeHtml`, in element content and in attribute values alike.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

export interface Column<Row> {
  header: string;
  /** Plain text; escaped by `htmlTable`. */
  cell: (row: Row) => string;
  /** Right-aligned with tabular figures. */
  numeric?: boolean;
}

/** A small data table; `footer` is one more row of plain text cells (e.g. totals). */
export function htmlTable<Row>(
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  footer?: readonly string[],
): string {
  const cls = (c: Column<Row>) => (c.numeric ? ' class="num"' : '');
  const head = columns.map((c) => `<th scope="col"${cls(c)}>${escapeHtml(c.header)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${columns.map((c) => `<td${cls(c)}>${escapeHtml(c.cell(row))}</td>`).join('')}</tr>`)
    .join('\n');
  const foot =
    footer === undefined
      ? ''
      : `<tfoot><tr>${footer.map((text, i) => `<td${cls(columns[i])}>${escapeHtml(text)}</td>`).join('')}</tr></tfoot>`;
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>${foot}\n</table>`;
}
