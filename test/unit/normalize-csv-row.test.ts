import { describe, expect, it } from 'vitest';
import { resolveCsvHeader } from '../../connectors/callscaler/normalize/csv.js';
import { CsvRowNormalizer } from '../../connectors/callscaler/normalize/csv-row.js';
import { QualityTally } from '../../connectors/callscaler/normalize/quality.js';
import { normalizeCall, type RowMeta } from '../../connectors/callscaler/normalize/record.js';
import { callsSchema } from '../../connectors/callscaler/schema.js';
import { Rng } from '../../connectors/callscaler/simulator/prng.js';
import { FULL_RECORD } from '../helpers/call-records.js';
import { csvRowToRecord } from '../helpers/csv-reference.js';
import { rowSettings } from '../helpers/pii.js';

/**
 * CsvRowNormalizer is the export's one-pass form of `csvRowToRecord` (test/helpers/csv-reference.ts) +
 * `normalizeCall` (which the list path uses): the reference. Generated headers and rows, good and broken, under
 * several row settings: the same row or the same reason, and the same AI tally, every time.
 */

/** The reference: the record, lists read as [] when empty (as the export always did), then normalizeCall. */
function reference(cells: string[], header: string[], meta: RowMeta, tally: QualityTally) {
  const map = resolveCsvHeader(header);
  const parsed = csvRowToRecord(cells, map);
  if (!parsed.ok) return parsed.reason;
  for (const c of map.columns) if (c.type === 'list_utf8') parsed.record[c.key] ??= [];
  const n = normalizeCall(parsed.record, meta, tally);
  return n.ok ? n.row : n.reason;
}

const FIELDS = callsSchema.columns
  .filter((c) => c.origin === 'api' || c.origin === 'include')
  .map((c) => c.name);
const human = (f: string) =>
  f.replace(/(^|_)([a-z])/g, (_m, sep, ch) => `${sep ? ' ' : ''}${ch.toUpperCase()}`);
/** Columns the schema does not know, some with keys JavaScript orders first (array indexes). */
const UNKNOWN = [
  'Call Tags',
  '7',
  '2024',
  '01',
  'Score',
  '__proto__',
  '4294967295',
  'Notes (internal)',
  '***',
  // Personal fields' aliases, unknown when the field has a column of its own: masked in _extra like it.
  'Transcript',
  'Recording',
];

const pick = <T>(rng: Rng, xs: readonly T[]) => xs[Math.floor(rng.next() * xs.length)];

/** What an export writes for a field of FULL_RECORD (an unknown column: some text). */
function goodCell(field: string, rng: Rng): string {
  if (!Object.hasOwn(FULL_RECORD, field)) return pick(rng, ['', 'text', 'a, b']);
  const v = (FULL_RECORD as Record<string, unknown>)[field];
  if (v === null || v === undefined) return '';
  return Array.isArray(v) ? v.join(pick(rng, [';', '; ', ','])) : String(v);
}

/** Values a cell may hold that it should not (or that are odd), whatever its column. */
function oddCell(rng: Rng): string {
  return pick(rng, [
    '',
    ' ',
    'x',
    '85',
    '85.0',
    '85.5',
    '-1',
    '101',
    '99999999999',
    '9223372036854775808',
    '1e3',
    'yes',
    'No',
    '0',
    '2026-03-01T10:00:00Z',
    '2026-02-30T10:00:00Z',
    '2026-03-01',
    '["a","b"]',
    '[1]',
    '[',
    'hot_lead',
    '+1 (512) 555-0123',
    'https://example.com/?utm_source=google&gclid=abc',
  ]);
}

function generated(rng: Rng): { header: string[]; rows: string[][] } {
  const fields = FIELDS.filter(() => rng.next() < 0.8);
  if (!fields.includes('id')) fields.unshift('id');
  const names = [
    ...fields.map((f) => (rng.next() < 0.5 ? human(f) : f)),
    ...UNKNOWN.filter(() => rng.next() < 0.3),
  ];
  // Shuffled: column order decides which bad cell is named first.
  for (let i = names.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [names[i], names[j]] = [names[j], names[i]];
  }
  const keys = resolveCsvHeader(names).columns.map((c) => c.key);
  const rows = Array.from({ length: 30 }, () => {
    const row = keys.map((k) => goodCell(k, rng));
    // Half the rows keep what the export wrote; the others get one to three odd cells.
    if (rng.next() < 0.5) {
      const n = 1 + Math.floor(rng.next() * 3);
      for (let k = 0; k < n; k++) row[Math.floor(rng.next() * row.length)] = oddCell(rng);
    }
    return row;
  });
  return { header: names, rows };
}

const SETTINGS = [
  undefined,
  rowSettings({ caller_number: 'hash', caller_name: 'drop', summary: 'hash' }, 'pepper-salt-1'),
  rowSettings({ transcription: 'drop', recording_url: 'hash' }, 'pepper-salt-2', 'America/Chicago'),
];

describe('CsvRowNormalizer (the export, one pass)', () => {
  it('gives the row or the reason csvRowToRecord + normalizeCall give, and the same tally', () => {
    const rng = new Rng(11);
    let rows = 0;
    let refused = 0;
    for (let n = 0; n < 300; n++) {
      const { header, rows: cells } = generated(rng);
      const meta: RowMeta = {
        account: 'a',
        runId: 'r',
        syncedAtMs: 1_774_000_000_000,
        extract: 'export',
        settings: SETTINGS[n % SETTINGS.length],
      };
      const normalizer = new CsvRowNormalizer(resolveCsvHeader(header), meta);
      const [t1, t2] = [new QualityTally(), new QualityTally()];
      for (const row of cells) {
        const want = reference(row, header, meta, t1);
        const reason = normalizer.normalize(row, t2);
        const got = reason ?? [...normalizer.row];
        expect(got, `${JSON.stringify(header)}\n${JSON.stringify(row)}`).toEqual(want);
        if (reason === null) rows++;
        else refused++;
      }
      expect(t2.take()).toEqual(t1.take());
    }
    // Both kinds were tried in numbers.
    expect(rows).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
  });

  it('orders _extra as a record would: array-index keys first, in numeric order', () => {
    const header = ['id', 'created_at', 'Zeta', '7', '2024', '01'];
    const normalizer = new CsvRowNormalizer(resolveCsvHeader(header), {
      account: 'a',
      runId: 'r',
      syncedAtMs: 0,
      extract: 'export',
    });
    expect(
      normalizer.normalize(['c1', '2026-03-01T10:00:00Z', 'z', 'seven', '', 'one'], new QualityTally()),
    ).toBe(null);
    const extra = normalizer.row[callsSchema.columns.findIndex((c) => c.name === '_extra')];
    expect(extra).toBe('{"7":"seven","2024":null,"zeta":"z","01":"one"}');
  });
});
