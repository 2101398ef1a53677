import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  type CsvHeaderMap,
  csvCellCountReason,
  headerKey,
  resolveCsvHeader,
} from '../../connectors/callscaler/normalize/csv.js';
import { normalizeCall, type RowMeta } from '../../connectors/callscaler/normalize/record.js';
import { callsSchema } from '../../connectors/callscaler/schema.js';
import { DataError } from '../../src/errors.js';
import { FULL_RECORD } from '../helpers/call-records.js';
import { csvRowToRecord } from '../helpers/csv-reference.js';

const meta: RowMeta = {
  account: 'default',
  runId: 'run-1',
  syncedAtMs: 1_774_000_000_000,
  extract: 'export',
};
const keysOf = (map: CsvHeaderMap) => map.columns.map((c) => c.key);
const EXTRA = callsSchema.columns.findIndex((c) => c.name === '_extra');

/** The `_extra` of a one-row export, through csvRowToRecord and normalizeCall. */
function extraOf(header: string[], cells: string[]): unknown {
  const r = csvRowToRecord(cells, resolveCsvHeader(header));
  if (!r.ok) return r.reason;
  const n = normalizeCall(r.record, meta);
  return n.ok ? n.row[EXTRA] : n.reason;
}

describe('CSV header', () => {
  it.each([
    ['caller_number', 'caller_number'],
    ['Caller Number', 'caller_number'],
    ['  CALLER-NUMBER ', 'caller_number'],
    ['\uFEFFid', 'id'],
    ['Ai Score', 'ai_score'],
    ['AI_SCORE', 'ai_score'],
    ['Qualified Ai', 'qualified_ai'],
    ['Duration (seconds)', 'duration_seconds'],
    ['Landing Page URL', 'landing_page_url'],
    ['UTM  Source', 'utm_source'],
    ['Nom de l’appelant', 'nom_de_l_appelant'],
    ['電話', ''],
  ])('headerKey(%j) = %j', (cell, key) => {
    expect(headerKey(cell)).toBe(key);
  });

  it('maps snake_case, human and odd-case headers to fields and keeps unknown columns', () => {
    const map = resolveCsvHeader([
      '\uFEFFCall ID',
      'Created At',
      'Caller Number',
      'Ai Score',
      'QUALIFIED',
      'Keywords',
      'Duration',
      'Value Cents',
      'Call Tags',
      'call-tags',
      '',
      '電話',
    ]);
    expect(keysOf(map)).toEqual([
      'id',
      'created_at',
      'caller_number',
      'ai_score',
      'qualified_ai',
      'keywords_spotted',
      'duration_seconds',
      'value_cents',
      'call_tags',
      'call-tags', // a second column with the same snake_case name keeps its header
      'column_11',
      '電話',
    ]);
    expect(map.columns.map((c) => c.type)).toEqual([
      'utf8',
      'timestamp',
      'utf8',
      'int32',
      'bool',
      'list_utf8',
      'int32',
      'int64',
      null,
      null,
      null,
      null,
    ]);
    expect(map.unknown).toEqual(['Call Tags', 'call-tags', '', '電話']);
    expect(map.columns[0].header).toBe('Call ID');
  });

  it.each([
    ['an alias when the field has no column', ['id', 'Date'], ['id', 'created_at']],
    [
      'no alias when the field has its own column',
      ['id', 'Date', 'created_at'],
      ['id', 'date', 'created_at'],
    ],
    ['no alias when two columns claim the field', ['id', 'Date', 'Call Date'], ['id', 'date', 'call_date']],
    ['call id alias', ['call_id', 'caller'], ['id', 'caller']],
    ['duration alias', ['id', 'duration'], ['id', 'duration_seconds']],
    ['derived column names are not fields', ['id', 'channel', 'call_date'], ['id', 'channel', 'created_at']],
    [
      'prototype-looking headers are plain keys',
      ['id', '__proto__', 'constructor'],
      ['id', 'proto', 'constructor'],
    ],
  ])('%s', (_name, header, keys) => {
    expect(keysOf(resolveCsvHeader(header))).toEqual(keys);
  });

  it('throws a DataError listing the columns when there is no id column', () => {
    const attempt = () => resolveCsvHeader(['Caller Number', 'Created At']);
    expect(attempt).toThrow(DataError);
    expect(attempt).toThrow('export CSV has no id column; got columns: "Caller Number", "Created At"');
  });

  it('with pii set, a header that is really a row of data (no id column) is not quoted', () => {
    const row = ['+15125550123', 'Jane Doe', '2026-03-01T10:00:00Z'];
    const attempt = () => resolveCsvHeader(row, false);
    expect(attempt).toThrow(
      'export CSV has no id column; got columns: 3 (names withheld: streams.calls.pii is set)',
    );
    try {
      attempt();
    } catch (err) {
      const text = `${(err as Error).message} ${JSON.stringify((err as DataError).context)}`;
      for (const cell of row) expect(text).not.toContain(cell);
    }
    expect(() => resolveCsvHeader(['id', '+15125550123', '+15125550123'], false)).not.toThrow();
  });

  it('throws a DataError when two columns are the same field', () => {
    expect(() => resolveCsvHeader(['id', 'Caller Number', 'caller_number'])).toThrow(
      'export CSV has 2 columns for caller_number: "Caller Number", "caller_number"',
    );
  });
});

describe('CSV cells', () => {
  const map = resolveCsvHeader([
    'id',
    'caller_name',
    'ai_score',
    'value_cents',
    'robo_score',
    'qualified_ai',
    'keywords_spotted',
    'created_at',
    'custom',
  ]);
  const cellFor = (field: string, cell: string) => {
    const cells = ['c1', '', '', '', '', '', '', '', ''];
    cells[map.columns.findIndex((c) => c.key === field)] = cell;
    const r = csvRowToRecord(cells, map);
    return r.ok ? r.record[field] : r;
  };

  it.each([
    ['caller_name', '', null],
    ['caller_name', ' Jane, "J" Doe\n ', ' Jane, "J" Doe\n '],
    ['custom', '', null],
    ['custom', '42', '42'],
    ['ai_score', '85', 85],
    ['ai_score', ' -3 ', -3],
    ['ai_score', '85.0', 85],
    ['ai_score', '   ', null],
    ['ai_score', '85.5', { ok: false, reason: 'ai_score: expected integer, got "85.5"', field: 'ai_score' }],
    ['ai_score', 'high', { ok: false, reason: 'ai_score: expected integer, got "high"', field: 'ai_score' }],
    [
      'ai_score',
      '1,000',
      { ok: false, reason: 'ai_score: expected integer, got "1,000"', field: 'ai_score' },
    ],
    ['value_cents', '9007199254740993', 9_007_199_254_740_993n],
    ['value_cents', '-12', -12n],
    [
      'value_cents',
      '12.50',
      { ok: false, reason: 'value_cents: expected integer, got "12.50"', field: 'value_cents' },
    ],
    ['robo_score', '0.25', 0.25],
    ['robo_score', '1e-3', 0.001],
    ['robo_score', '.5', 0.5],
    ['robo_score', '7', 7],
    [
      'robo_score',
      'NaN',
      { ok: false, reason: 'robo_score: expected number, got "NaN"', field: 'robo_score' },
    ],
    [
      'robo_score',
      '0x10',
      { ok: false, reason: 'robo_score: expected number, got "0x10"', field: 'robo_score' },
    ],
    ...['true', 'TRUE', 'yes', 'Y', '1', 't', ' True '].map((c) => ['qualified_ai', c, true]),
    ...['false', 'No', 'n', '0', 'F'].map((c) => ['qualified_ai', c, false]),
    [
      'qualified_ai',
      'maybe',
      {
        ok: false,
        reason: 'qualified_ai: expected boolean (true/false/yes/no/1/0), got "maybe"',
        field: 'qualified_ai',
      },
    ],
    ['keywords_spotted', '["a","b, c"]', ['a', 'b, c']],
    ['keywords_spotted', '[]', []],
    ['keywords_spotted', 'quote; emergency ;; ', ['quote', 'emergency']],
    ['keywords_spotted', 'quote, emergency,', ['quote', 'emergency']],
    ['keywords_spotted', 'a, b; c', ['a, b', 'c']],
    ['keywords_spotted', 'pricing', ['pricing']],
    ['keywords_spotted', ' ;  ; ', []],
    ['keywords_spotted', ' ; , ', [',']],
    [
      'keywords_spotted',
      '["a",',
      { ok: false, reason: 'keywords_spotted: not a JSON array: "[\\"a\\","', field: 'keywords_spotted' },
    ],
    [
      'keywords_spotted',
      '[1,2]',
      {
        ok: false,
        reason: 'keywords_spotted: expected a JSON array of strings, got "[1,2]"',
        field: 'keywords_spotted',
      },
    ],
    ['created_at', ' 2026-03-01T10:00:00Z ', '2026-03-01T10:00:00Z'],
  ] as [string, string, unknown][])('%s %j → %s', (field, cell, value) => {
    expect(cellFor(field, cell)).toEqual(value);
  });

  it('refuses a row whose cell count differs from the header, with a reusable message', () => {
    expect(csvCellCountReason(['a', 'b'], map)).toBe('expected 9 cells as in the header, got 2');
    expect(csvCellCountReason(new Array(9).fill(''), map)).toBeNull();
    expect(csvRowToRecord(['a', 'b'], map)).toEqual({
      ok: false,
      reason: 'expected 9 cells as in the header, got 2',
    });
  });

  it('keeps a __proto__ column as a plain key', () => {
    const r = csvRowToRecord(
      ['c1', '2026-03-01T10:00:00Z', 'x'],
      resolveCsvHeader(['id', 'created_at', '__proto__ ']),
    );
    expect(r.ok && Object.keys(r.record)).toEqual(['id', 'created_at', 'proto']);
    expect(extraOf(['id', 'created_at', '__proto__'], ['c1', '2026-03-01T10:00:00Z', 'x'])).toBe(
      '{"proto":"x"}',
    );
  });

  it('gives the snake_case name to the column already written that way', () => {
    expect(extraOf(['id', 'created_at', 'a b', 'a_b'], ['c1', '2026-03-01T10:00:00Z', '1', '2'])).toBe(
      '{"a b":"1","a_b":"2"}',
    );
  });
});

describe('the export and the list produce the same rows', () => {
  const records = [
    {
      // The full list record with values that are hard to carry through CSV.
      ...FULL_RECORD,
      call_flow_name: 'Main, "VIP" line',
      qualification_reason: 'Asked for a quote,\nthen booked',
      caller_name: 'Zoë Ångström',
      utm_source: null,
      utm_medium: null,
      utm_content: null,
      gclid: null,
      fbclid: 'IwAR0',
      landing_page_url: 'https://www.example.com/plumbing?utm_source=facebook&utm_medium=paid_social',
      referrer_url: 'https://l.facebook.com/',
      transcription: 'Agent: Hello…\r\nCaller: Hi 🚰',
    },
    {
      id: 'b2',
      status: 'voicemail',
      direction: 'sideways',
      has_transcription: false,
      qualified_ai: false,
      keywords_spotted: null,
      ai_score: null,
      robo_score: 1,
      value_cents: 0,
      created_at: '2026-03-02T00:00:00Z',
    },
  ];
  // The export: human headers in another order, a BOM, CRLF, RFC 4180 quoting, yes/no booleans, ';' lists.
  const header = [
    'Call ID',
    'Created At',
    'Caller Number',
    'Tracking Number',
    'Destination Number',
    'Call Flow Name',
    'Direction',
    'Status',
    'Duration',
    'Source',
    'Recording URL',
    'Recording Duration',
    'Has Transcription',
    'AI Score',
    'AI Category',
    'Qualified',
    'Qualification Reason',
    'Keywords',
    'Caller Name',
    'Value Cents',
    'Cost Cents',
    'Robo Score',
    'UTM Source',
    'UTM Medium',
    'UTM Campaign',
    'UTM Term',
    'UTM Content',
    'GCLID',
    'FBCLID',
    'MSCLKID',
    'Landing Page URL',
    'Referrer URL',
    'Transcription',
    'Summary',
  ];
  const fieldOf = resolveCsvHeader(header).columns.map((c) => c.key);
  const cell = (v: unknown): string => {
    const text =
      v === null || v === undefined
        ? ''
        : Array.isArray(v)
          ? v.join('; ')
          : typeof v === 'boolean'
            ? v
              ? 'Yes'
              : 'no'
            : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const csv = `\uFEFF${[
    header.map(cell),
    ...records.map((r) => fieldOf.map((f) => cell((r as Record<string, unknown>)[f]))),
  ]
    .map((line) => line.join(','))
    .join('\r\n')}\r\n`;

  it('parses the CSV text and normalizes each row exactly like the JSON record', () => {
    const [head, ...rows] = parse(csv, { relax_column_count: true }) as string[][];
    const map = resolveCsvHeader(head);
    expect(map.unknown).toEqual([]);
    expect(rows).toHaveLength(records.length);
    rows.forEach((cells, i) => {
      const fromCsv = csvRowToRecord(cells, map);
      if (!fromCsv.ok) throw new Error(fromCsv.reason);
      const a = normalizeCall(fromCsv.record, meta);
      const b = normalizeCall(records[i], meta);
      expect(a.ok && b.ok).toBe(true);
      expect(a).toEqual(b);
    });
  });

  it('carries unknown export columns to _extra as text', () => {
    const [head, ...rows] = parse(
      `id,created_at,Call Tags,Score\r\nc1,2026-03-01T10:00:00Z,"a,b",7\r\n`,
    ) as string[][];
    expect(extraOf(head, rows[0])).toBe('{"call_tags":"a,b","score":"7"}');
  });
});
