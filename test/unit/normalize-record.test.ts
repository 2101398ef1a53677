import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { normalizeCall, type RowMeta } from '../../connectors/callscaler/normalize/record.js';
import { callsSchema } from '../../connectors/callscaler/schema.js';
import { BatchBuilder } from '../../src/arrow/batch-builder.js';
import type { ColumnValue } from '../../src/schema/table.js';
import { FULL_RECORD } from '../helpers/call-records.js';

const meta: RowMeta = { account: 'default', runId: 'run-1', syncedAtMs: 1_774_000_000_000, extract: 'list' };
const NAMES = callsSchema.columns.map((c) => c.name);

function asObject(row: readonly ColumnValue[]): Record<string, ColumnValue> {
  return Object.fromEntries(NAMES.map((n, i) => [n, row[i]]));
}

function normalizeOk(raw: unknown, m: RowMeta = meta): Record<string, ColumnValue> {
  const result = normalizeCall(raw, m);
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  expect(result.row).toHaveLength(NAMES.length);
  return asObject(result.row);
}

const minimal = { id: 'c1', created_at: '2026-03-01T10:00:00Z' };

describe('normalizeCall', () => {
  it('turns a full record into a row in schema order, API values as sent, derived and meta beside them', () => {
    expect(normalizeOk(FULL_RECORD)).toEqual({
      account: 'default',
      ...FULL_RECORD,
      value_cents: 25_000n,
      cost_cents: 12n,
      created_at: Date.UTC(2026, 2, 2, 4, 30, 0, 250),
      call_date: Date.UTC(2026, 2, 2) / 86_400_000, // 23:30 at -05:00 is the next UTC day
      channel: 'paid_search',
      attributed_utm_source: 'google',
      attributed_utm_medium: 'cpc',
      attributed_utm_campaign: 'spring',
      attributed_utm_term: 'plumber near me',
      attributed_utm_content: null,
      landing_page_domain: 'example.com',
      landing_page_path: '/plumbing',
      referrer_domain: 'google.com',
      caller_number_e164: '+15125550123',
      tracking_number_e164: '+15128675309',
      destination_number_e164: '+442079460958',
      _extra: null,
      _synced_at: 1_774_000_000_000,
      _run_id: 'run-1',
      _extract: 'list',
    });
  });

  it('gives NULL for every missing key, and meta from RowMeta', () => {
    const row = normalizeOk(minimal, { account: 'default', runId: 'r9', syncedAtMs: 5, extract: 'export' });
    const nonNull = Object.entries(row).filter(([, v]) => v !== null);
    expect(Object.fromEntries(nonNull)).toEqual({
      account: 'default',
      id: 'c1',
      created_at: Date.UTC(2026, 2, 1, 10),
      call_date: 20_513,
      channel: 'direct',
      _synced_at: 5,
      _run_id: 'r9',
      _extract: 'export',
    });
  });

  it('treats explicit nulls like missing keys', () => {
    const nulls = Object.fromEntries(Object.keys(FULL_RECORD).map((k) => [k, null]));
    expect(normalizeOk({ ...nulls, ...minimal })).toEqual(normalizeOk(minimal));
  });

  it('keeps enum values it does not know (the provider may add some)', () => {
    const row = normalizeOk({
      ...minimal,
      status: 'on-hold',
      direction: 'transfer',
      ai_category: 'sales_inquiry',
    });
    expect([row.status, row.direction, row.ai_category]).toEqual(['on-hold', 'transfer', 'sales_inquiry']);
  });

  it.each([
    ['ai_score', '85', 'ai_score: expected integer, got string "85"'],
    ['ai_score', 85.5, 'ai_score: expected integer, got number 85.5'],
    ['ai_score', true, 'ai_score: expected integer, got boolean true'],
    ['duration_seconds', 2 ** 31, 'duration_seconds: integer out of int32 range: 2147483648'],
    ['recording_duration', -(2 ** 31) - 1, 'recording_duration: integer out of int32 range: -2147483649'],
    ['ai_category', 5, 'ai_category: expected string, got number 5'],
    ['caller_name', true, 'caller_name: expected string, got boolean true'],
    ['call_flow_name', { name: 'x' }, 'call_flow_name: expected string, got object'],
    ['status', ['completed'], 'status: expected string, got array'],
    ['value_cents', '100', 'value_cents: expected integer, got string "100"'],
    ['value_cents', 1.5, 'value_cents: expected integer, got number 1.5'],
    ['cost_cents', 2 ** 60, 'cost_cents: integer too large to be exact in JSON: 1152921504606847000'],
    ['cost_cents', 2n ** 64n, 'cost_cents: integer out of int64 range: 18446744073709551616'],
    ['robo_score', '0.3', 'robo_score: expected number, got string "0.3"'],
    ['has_transcription', 'true', 'has_transcription: expected boolean, got string "true"'],
    ['qualified_ai', 1, 'qualified_ai: expected boolean, got number 1'],
    ['keywords_spotted', 'a,b', 'keywords_spotted: expected array of strings, got string "a,b"'],
    ['keywords_spotted', {}, 'keywords_spotted: expected array of strings, got object'],
    ['keywords_spotted', ['a', 1], 'keywords_spotted[1]: expected string, got number 1'],
    ['keywords_spotted', [null], 'keywords_spotted[0]: expected string, got null'],
    ['created_at', '2026-03-01', 'created_at: not an ISO 8601 instant: "2026-03-01"'],
    ['created_at', '2026-03-01T10:00:00', 'created_at: not an ISO 8601 instant: "2026-03-01T10:00:00"'],
    ['created_at', 1_772_359_200_000, 'created_at: expected ISO 8601 string, got number 1772359200000'],
    ['created_at', null, 'created_at: missing'],
    ['transcription', 42, 'transcription: expected string, got number 42'],
    ['summary', { text: 'x' }, 'summary: expected string, got object'],
    ['ai_score', 'x'.repeat(200), `ai_score: expected integer, got string "${'x'.repeat(80)}"…`],
    ['created_at', `2026${'9'.repeat(100)}`, `created_at: not an ISO 8601 instant: "2026${'9'.repeat(76)}"…`],
    ['utm_source', 'é"\n', null], // a valid string: quoting only matters for bad values
  ] as const)('%s = %s → %s', (field, value, reason) => {
    const result = normalizeCall({ ...minimal, [field]: value }, meta);
    if (reason === null) expect(result.ok).toBe(true);
    else expect(result).toEqual({ ok: false, reason, field });
  });

  it.each([
    [{ created_at: '2026-03-01T10:00:00Z' }, 'id: missing'],
    [{ id: '', created_at: '2026-03-01T10:00:00Z' }, 'id: missing'],
    [{ id: null, created_at: '2026-03-01T10:00:00Z' }, 'id: missing'],
    [{ id: 42, created_at: '2026-03-01T10:00:00Z' }, 'id: expected string, got number 42'],
  ])('rejects %j: %s', (raw, reason) => {
    expect(normalizeCall(raw, meta)).toEqual({ ok: false, reason, field: 'id' });
  });

  it.each([null, undefined, 42, 'a string', [minimal], new Date(0), new Map()])(
    'rejects %j: not an object',
    (raw) => {
      expect(normalizeCall(raw, meta)).toEqual({ ok: false, reason: 'record is not an object' });
    },
  );

  it.each([
    ['2026-03-01T10:00:00Z', Date.UTC(2026, 2, 1, 10)],
    ['2026-03-01T10:00:00.123Z', Date.UTC(2026, 2, 1, 10, 0, 0, 123)],
    ['2026-03-01T10:00:00.123456Z', Date.UTC(2026, 2, 1, 10, 0, 0, 123) + 0.456],
    ['2026-03-01T10:00:00.123456789Z', Date.UTC(2026, 2, 1, 10, 0, 0, 123) + 0.456],
    ['2026-03-01T10:00:00,5Z', Date.UTC(2026, 2, 1, 10, 0, 0, 500)],
    ['2026-03-01T10:00:00+02:00', Date.UTC(2026, 2, 1, 8)],
    ['2026-03-01T10:00:00-0530', Date.UTC(2026, 2, 1, 15, 30)],
    ['2026-03-01T10:00:00+02', Date.UTC(2026, 2, 1, 8)],
    ['2026-03-01T10:00:00+00:00', Date.UTC(2026, 2, 1, 10)],
    ['2026-03-01 10:00:00Z', Date.UTC(2026, 2, 1, 10)],
    ['2026-03-01t10:00z', Date.UTC(2026, 2, 1, 10)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['1969-12-31T23:59:59.999Z', -1],
    ['0050-06-01T00:00:00Z', new Date('0050-06-01T00:00:00Z').getTime()],
    ['2025-02-29T00:00:00Z', null],
    ['2026-04-31T00:00:00Z', null],
    ['2026-13-01T00:00:00Z', null],
    ['2026-03-01T24:00:00Z', null],
    ['2026-03-01T10:60:00Z', null],
    ['2026-03-01T10:00:00+24:00', null],
    ['2026-03-01T10:00:00.Z', null],
    ['2026-03-01T10Z', null],
    [' 2026-03-01T10:00:00Z', null],
    ['20260301T100000Z', null],
    ['March 1, 2026 10:00 UTC', null],
    ['', null],
  ])('created_at %j → %s', (text, ms) => {
    const result = normalizeCall({ id: 'x', created_at: text }, meta);
    if (ms === null) {
      expect(result).toEqual({
        ok: false,
        reason: `created_at: not an ISO 8601 instant: ${JSON.stringify(text)}`,
        field: 'created_at',
      });
    } else {
      expect(result.ok && result.row[NAMES.indexOf('created_at')]).toBe(ms);
      expect(result.ok && result.row[NAMES.indexOf('call_date')]).toBe(Math.floor(ms / 86_400_000));
    }
  });

  it('keeps unknown keys in _extra as a JSON object, values unchanged, in the order they came', () => {
    const raw = JSON.parse(
      '{"id":"c1","zeta":1,"created_at":"2026-03-01T10:00:00Z","alpha":{"nested":[1,"x",null]},"nothing":null,' +
        '"AI_Score":7,"channel":"ppc","__proto__":{"polluted":true},"emoji":"📞 \\u0000"}',
    );
    const row = normalizeOk(raw);
    expect(row._extra).toBe(
      '{"zeta":1,"alpha":{"nested":[1,"x",null]},"nothing":null,"AI_Score":7,"channel":"ppc",' +
        '"__proto__":{"polluted":true},"emoji":"📞 \\u0000"}',
    );
    expect(JSON.parse(row._extra as string).alpha).toEqual({ nested: [1, 'x', null] });
    expect(row.ai_score).toBeNull(); // keys are case-sensitive: the API's own name is ai_score
    expect(row.channel).toBe('direct'); // a sent `channel` does not override the derived one
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts int64 fields as bigint (CSV path) and huge text fields', () => {
    const big = 2n ** 62n;
    const text = '€'.repeat(1_000_000);
    const row = normalizeOk({ ...minimal, value_cents: big, cost_cents: -5, transcription: text });
    expect([row.value_cents, row.cost_cents, (row.transcription as string).length]).toEqual([
      big,
      -5n,
      1_000_000,
    ]);
  });

  it('produces rows BatchBuilder takes as they are, and they read back the same through Arrow IPC', () => {
    const builder = new BatchBuilder(callsSchema);
    const rows = [
      FULL_RECORD,
      minimal,
      { ...minimal, id: 'c2', keywords_spotted: [], caller_number: 'garbage' },
    ].map((r) => normalizeCall(r, meta));
    for (const r of rows) if (r.ok) builder.append(r.row);
    const table = arrow.tableFromIPC(arrow.tableToIPC(new arrow.Table([builder.finish()!])));
    expect(table.numRows).toBe(3);
    const full = table.get(0)!.toJSON();
    expect(full.value_cents).toBe(25_000n);
    expect(full.created_at).toBe(Date.UTC(2026, 2, 2, 4, 30, 0, 250));
    expect(full.call_date).toBe(Date.UTC(2026, 2, 2));
    expect([...full.keywords_spotted]).toEqual(['quote', 'emergency']);
    expect([...table.get(2)!.toJSON().keywords_spotted]).toEqual([]);
    expect(table.get(1)!.toJSON().keywords_spotted).toBeNull();
    expect(table.get(2)!.toJSON().caller_number_e164).toBeNull();
  });
});
