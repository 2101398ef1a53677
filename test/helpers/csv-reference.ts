import {
  type CsvHeaderMap,
  coerceCell,
  csvCellCountReason,
} from '../../connectors/callscaler/normalize/csv.js';
import { Invalid } from '../../connectors/callscaler/normalize/fields.js';

export type CsvRecordResult =
  | { ok: true; record: Record<string, unknown> }
  | { ok: false; reason: string; field?: string };

/**
 * One CSV row → a record with the JSON types the list API uses, cell by cell: the reference that the export's
 * one-pass CsvRowNormalizer must agree with (with normalizeCall after it). An empty cell is null (CSV cannot tell
 * an empty string from a missing value). The record has no prototype, so a `__proto__` column stays a key.
 */
export function csvRowToRecord(cells: string[], map: CsvHeaderMap): CsvRecordResult {
  const count = csvCellCountReason(cells, map);
  if (count !== null) return { ok: false, reason: count };
  const record: Record<string, unknown> = Object.create(null);
  const columns = map.columns;
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i];
    const value = coerceCell(cells[i], c.type, c.key);
    if (value instanceof Invalid) return { ok: false, reason: value.reason, field: c.key };
    record[c.key] = value;
  }
  return { ok: true, record };
}
