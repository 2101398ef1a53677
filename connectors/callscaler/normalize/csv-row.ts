import type { ColumnType, ColumnValue } from '../../../src/schema/table.js';
import { type CsvHeaderMap, coerceCell } from './csv.js';
import { checkFor, type FieldCheck, Invalid } from './fields.js';
import { col, WIDTH } from './layout.js';
import type { PiiMode } from './pii.js';
import type { QualityTally } from './quality.js';
import { completeRow, type RowMeta } from './record.js';
import { compileRowSettings } from './settings.js';

/**
 * An export's CSV rows straight into rows of the calls table: exactly what coercing each cell (`coerceCell`) and
 * then `normalizeCall` make of a row (the same values, the same reason for the same refused row), without the
 * record in between. That record was a dictionary-mode object of ~45 keys per row, walked again by key; here
 * the header is compiled once into what each column becomes, and one row array is reused.
 */

/** How a column's cells become values. */
enum Kind {
  /** Text as it is (text, JSON and unknown columns). */
  Text,
  /** Coerced by `coerceCell`, then its field's check may still refuse the value (int32 range, instants). */
  Checked,
  /** Coerced by `coerceCell`, which the field's check always accepts (numbers, booleans, lists). */
  Coerced,
}

interface ColumnPlan {
  readonly key: string;
  readonly type: ColumnType | null;
  readonly kind: Kind;
  /** Position in the row; -1 for a column the schema does not know (it goes to `_extra`). */
  readonly index: number;
  readonly check: FieldCheck | undefined;
  /** An empty cell of a list column is the empty list (see ExportRows). */
  readonly list: boolean;
}

const CREATED_AT = col('created_at');
const EXTRA = col('_extra');

function kindOf(type: ColumnType | null): Kind {
  if (type === null || type === 'utf8' || type === 'json') return Kind.Text;
  return type === 'int32' || type === 'int64' || type === 'timestamp' ? Kind.Checked : Kind.Coerced;
}

/** A property key JavaScript enumerates first, in numeric order (an array index: "0", "7", "2024"). */
function isIndexKey(key: string): boolean {
  return /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 2 ** 32 - 1;
}

export class CsvRowNormalizer {
  private readonly columns: readonly ColumnPlan[];
  private readonly idColumn: number;
  /**
   * Unknown columns for `_extra`, in the order a record's keys would be enumerated (index-like keys first):
   * where their cells are, their keys as JSON with the colon, and their PII modes (a "Transcript" column
   * beside "Transcription" is masked like it).
   */
  private readonly extraAt: readonly number[];
  private readonly extraKey: readonly string[];
  private readonly extraMode: readonly PiiMode[];
  private readonly values: unknown[];
  /** The row of the last call that succeeded: valid until the next call. */
  readonly row: ColumnValue[] = new Array(WIDTH).fill(null);

  constructor(
    map: CsvHeaderMap,
    private readonly meta: RowMeta,
  ) {
    this.columns = map.columns.map((c) => ({
      key: c.key,
      type: c.type,
      kind: kindOf(c.type),
      index: c.type === null ? -1 : col(c.key),
      check: c.type === null ? undefined : checkFor(c.type),
      list: c.type === 'list_utf8',
    }));
    this.idColumn = map.columns.findIndex((c) => c.key === 'id');
    const unknown = map.columns.flatMap((c, i) => (c.type === null ? [{ key: c.key, i }] : []));
    const first = unknown.filter((u) => isIndexKey(u.key)).sort((a, b) => Number(a.key) - Number(b.key));
    const ordered = [...first, ...unknown.filter((u) => !isIndexKey(u.key))];
    const { pii } = compileRowSettings(meta.settings);
    this.extraAt = ordered.map((u) => u.i);
    this.extraKey = ordered.map((u) => `${JSON.stringify(u.key)}:`);
    this.extraMode = ordered.map((u) => pii.modeOfKey(u.key));
    this.values = new Array(map.columns.length).fill(null);
  }

  /**
   * One row's cells (as many as the header has) into `row`; returns null, or the reason the row is refused.
   * `tally` hears of the AI fields' oddities, as in normalizeCall.
   */
  normalize(cells: readonly string[], tally: QualityTally): string | null {
    const columns = this.columns;
    const values = this.values;
    // Every cell is coerced before any field is checked: a cell that does not parse is the reason first.
    for (let i = 0; i < columns.length; i++) {
      const cell = cells[i];
      const c = columns[i];
      let v: unknown;
      // The API sends lists as arrays, [] when empty; an export with `;` or `,` lists can only write [] as an
      // empty cell. Reading that as [] keeps the export's rows equal to the list path's.
      if (cell === '') v = c.list ? [] : null;
      else if (c.kind === Kind.Text) v = cell;
      else {
        v = coerceCell(cell, c.type, c.key);
        if (v instanceof Invalid) return v.reason;
        if (v === null && c.list) v = [];
      }
      values[i] = v;
    }
    if (values[this.idColumn] === null) return 'id: missing';

    const { pii } = compileRowSettings(this.meta.settings);
    const row = this.row;
    row.fill(null);
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i];
      if (c.index < 0) continue;
      const v = values[i];
      if (c.kind !== Kind.Checked || v === null) {
        row[c.index] = v as ColumnValue;
        continue;
      }
      const checked = c.check!(v, c.key);
      if (checked instanceof Invalid) return pii.reasonFor(c.key, v, checked.reason);
      row[c.index] = checked;
    }
    // Every call happened at some instant; without one it has no date window or partition to live in.
    if (row[CREATED_AT] === null) return 'created_at: missing';
    if (this.extraAt.length > 0) {
      // What normalizeCall's `_extra` holds: the cells are text or null, which JSON always represents.
      let text = '{';
      for (let k = 0; k < this.extraAt.length; k++) {
        if (k > 0) text += ',';
        text += this.extraKey[k] + JSON.stringify(pii.mask(values[this.extraAt[k]], this.extraMode[k]));
      }
      row[EXTRA] = `${text}}`;
    }
    completeRow(row, this.meta, tally);
    return null;
  }
}
