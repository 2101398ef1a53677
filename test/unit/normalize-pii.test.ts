import { describe, expect, it } from 'vitest';
import { callsStreamSchema } from '../../connectors/callscaler/config.js';
import { extractExport } from '../../connectors/callscaler/extract/export.js';
import { decode } from '../../connectors/callscaler/extract/list-decode.js';
import { PREVIEW_WITHHELD } from '../../connectors/callscaler/extract/page-json.js';
import { probeCalls } from '../../connectors/callscaler/extract/probe.js';
import { recordsToChunk } from '../../connectors/callscaler/extract/to-batch.js';
import { RAW_WITHHELD } from '../../connectors/callscaler/normalize/pii.js';
import { normalizeCall, type RowMeta } from '../../connectors/callscaler/normalize/record.js';
import { rowSettingsOf } from '../../connectors/callscaler/normalize/settings.js';
import { callsSchema } from '../../connectors/callscaler/schema.js';
import type { ExtractChunk, StreamReject } from '../../src/connector/stream.js';
import { BodyFormatError } from '../../src/http/errors.js';
import type { ColumnValue } from '../../src/schema/table.js';
import { FULL_RECORD } from '../helpers/call-records.js';
import { decodeTestKit } from '../helpers/decode-context.js';
import { httpTestKit } from '../helpers/http-server.js';
import { batchRows, csvOf, pageTask, rowSettings, sha256Of } from '../helpers/pii.js';

const SALT = 'normalize-pii-salt-0b5e';
const NAMES = callsSchema.columns.map((c) => c.name);
const base: RowMeta = { account: 'default', runId: 'r', syncedAtMs: 0, extract: 'list' };
/** Every personal field not kept: hashed or dropped. */
const MASKED = {
  caller_number: 'hash',
  caller_name: 'drop',
  transcription: 'hash',
  summary: 'drop',
  recording_url: 'hash',
} as const;
const masked: RowMeta = { ...base, settings: rowSettings(MASKED, SALT) };

function rowOf(raw: unknown, meta: RowMeta): Record<string, ColumnValue> {
  const r = normalizeCall(raw, meta);
  if (!r.ok) throw new Error(`rejected: ${r.reason}`);
  return Object.fromEntries(NAMES.map((n, i) => [n, r.row[i]]));
}

/** The personal values of FULL_RECORD, in the exact form they were sent. */
const SENT = [
  FULL_RECORD.caller_number,
  FULL_RECORD.caller_name,
  FULL_RECORD.transcription,
  FULL_RECORD.summary,
  FULL_RECORD.recording_url,
  '5125550123',
  '15125550123',
];
const expectNoneOf = (text: string) => {
  for (const v of SENT) expect(text).not.toContain(v);
};

describe('PII in a normalized row', () => {
  it('hash is SHA-256 of salt + the value as sent; drop is NULL; the other columns do not change', () => {
    const keep = rowOf(FULL_RECORD, base);
    const row = rowOf(FULL_RECORD, masked);
    expect(row).toEqual({
      ...keep,
      caller_number: sha256Of(SALT, '+1 (512) 555-0123'),
      caller_number_e164: null,
      caller_name: null,
      transcription: sha256Of(SALT, 'Agent: Hello…\nCaller: Hi, I need a plumber. 🚰'),
      summary: null,
      recording_url: sha256Of(SALT, 'https://cdn.callscaler.com/rec/a1.mp3'),
    });
    expect(row.caller_number).toMatch(/^[0-9a-f]{64}$/);
    expect(keep.caller_number_e164).toBe('+15125550123');
    expect(row.tracking_number_e164).toBe('+15128675309');
    expectNoneOf(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
  });

  it('keep (the default) leaves every field as sent', () => {
    const row = rowOf(FULL_RECORD, { ...base, settings: rowSettings({}, null) });
    expect(row).toEqual(rowOf(FULL_RECORD, base));
    expect(row.caller_name).toBe('JANE DOE');
  });

  it('NULL stays NULL; an empty string is a value and is hashed', () => {
    const row = rowOf(
      { ...FULL_RECORD, caller_number: null, caller_name: '' },
      { ...base, settings: rowSettings({ caller_number: 'hash', caller_name: 'hash' }, SALT) },
    );
    expect(row.caller_number).toBeNull();
    expect(row.caller_name).toBe(sha256Of(SALT, ''));
  });

  it('a caller number that is not kept has no E.164 form, also when dropped', () => {
    const row = rowOf(FULL_RECORD, { ...base, settings: rowSettings({ caller_number: 'drop' }, null) });
    expect([row.caller_number, row.caller_number_e164]).toEqual([null, null]);
  });

  it('_extra: keys that carry a personal field in another spelling or as an export alias are masked too', () => {
    const raw = {
      ...FULL_RECORD,
      transcript: 'Caller: my card is 4111 1111',
      'Caller Number': '+1 (512) 555-0123',
      recording: 'https://cdn.callscaler.com/rec/a1.mp3',
      CALLER_NAME: { first: 'JANE', last: 'DOE' },
      number_id: 'n-1',
    };
    const extra = JSON.parse(rowOf(raw, masked)._extra as string);
    expect(extra).toEqual({
      transcript: sha256Of(SALT, 'Caller: my card is 4111 1111'),
      'Caller Number': sha256Of(SALT, '+1 (512) 555-0123'),
      recording: sha256Of(SALT, 'https://cdn.callscaler.com/rec/a1.mp3'),
      CALLER_NAME: null,
      number_id: 'n-1',
    });
    const kept = JSON.parse(rowOf(raw, base)._extra as string);
    expect(kept.transcript).toBe('Caller: my card is 4111 1111');
  });

  it.each([
    ['caller_number', 5125550123, 'caller_number: expected string, got number'],
    ['caller_name', { first: 'JANE DOE' }, 'caller_name: expected string, got object'],
    ['transcription', ['Agent: Hello…'], 'transcription: expected string, got array'],
    ['summary', true, 'summary: expected string, got boolean'],
  ])('a reject reason about %s names only the type of its value', (field, value, reason) => {
    const r = normalizeCall({ ...FULL_RECORD, [field]: value }, masked);
    expect(r).toEqual({ ok: false, reason, field });
    // Kept fields are quoted as before.
    const kept = normalizeCall({ ...FULL_RECORD, [field]: value }, base);
    expect(kept.ok).toBe(false);
    if (!kept.ok && typeof value !== 'object') expect(kept.reason).toContain(String(value));
  });
});

describe('PII in rejected list records', () => {
  const rejected = [
    { ...FULL_RECORD, id: 'no-date', created_at: undefined },
    { ...FULL_RECORD, id: 'bad-type', caller_number: 5125550123, ai_score: '85' },
    '+1 (512) 555-0123 JANE DOE',
    [FULL_RECORD.caller_number],
  ];
  const records = [FULL_RECORD, ...rejected];

  it('keep their raw text with the personal fields hashed or dropped; a non-object keeps none', () => {
    const chunk = recordsToChunk(records, masked, 'GET /calls page 1');
    expect(chunk.batch?.numRows).toBe(1);
    expect(chunk.rejects.map((r) => (r.raw.startsWith('{') ? JSON.parse(r.raw) : r.raw))).toEqual([
      {
        ...FULL_RECORD,
        id: 'no-date',
        created_at: undefined,
        caller_number: sha256Of(SALT, '+1 (512) 555-0123'),
        caller_name: null,
        transcription: sha256Of(SALT, FULL_RECORD.transcription),
        summary: null,
        recording_url: sha256Of(SALT, FULL_RECORD.recording_url),
      },
      expect.objectContaining({
        id: 'bad-type',
        caller_number: sha256Of(SALT, '5125550123'),
        ai_score: '85',
      }),
      RAW_WITHHELD,
      RAW_WITHHELD,
    ]);
    for (const r of chunk.rejects) expectNoneOf(`${r.raw}\n${r.reason}`);
  });

  it('the same records with every field kept hold the values (the check above can fail)', () => {
    const chunk = recordsToChunk(records, base, 'GET /calls page 1');
    expect(chunk.rejects[0].raw).toContain(FULL_RECORD.caller_number);
    expect(chunk.rejects[2].raw).toBe('+1 (512) 555-0123 JANE DOE');
  });
});

const settingsFor = (pii: typeof MASKED | Record<string, never>) =>
  rowSettingsOf(callsStreamSchema.parse({ include: ['transcription', 'summary'], pii, pii_salt: SALT }));

describe('PII on the list path (the worker thread decode)', () => {
  const page = (calls: unknown[]) =>
    JSON.stringify({ data: { calls, total: calls.length, has_more: false, next_cursor: null } });

  it('rows and rejects are masked by the settings in the task', () => {
    const decoded = decode(
      pageTask(page([FULL_RECORD, { id: 'x', caller_name: 'JANE DOE' }]), {
        ...base,
        settings: settingsFor(MASKED),
      }),
      () => {},
    );
    const [row] = batchRows(decoded.batch);
    expect(row.caller_number).toBe(sha256Of(SALT, FULL_RECORD.caller_number));
    expect(row.caller_name).toBeNull();
    expect(decoded.rejects).toEqual([
      {
        source: 'GET /calls window w page 1',
        line: null,
        raw: '{"id":"x","caller_name":null}',
        reason: 'created_at: missing',
      },
    ]);
  });

  const broken = `{"data":{"calls":[{"id":"a1","caller_number":"+1 (512) 555-0123","caller_name":"JANE DOE",}]}}`;

  it('a malformed page does not quote how the body starts when a field is not kept', () => {
    let err: unknown;
    try {
      decode(pageTask(broken, { ...base, settings: settingsFor(MASKED) }), () => {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BodyFormatError);
    const message = (err as Error).message;
    expect(message).toMatch(/^GET \/calls: invalid JSON at byte \d+ \(\d+ bytes\): .+; body starts: /);
    expect(message).toContain(JSON.stringify(PREVIEW_WITHHELD));
    expectNoneOf(`${message}\n${(err as Error).stack}`);
  });

  it('with every field kept the message shows the body start as before', () => {
    expect(() => decode(pageTask(broken, { ...base, settings: settingsFor({}) }), () => {})).toThrow(
      '+1 (512) 555-0123',
    );
  });
});

describe('PII in the probe (the main thread parses its page)', () => {
  const { serve, client } = httpTestKit();
  const broken = `{"data":{"calls":[{"id":"a1","caller_number":"+1 (512) 555-0123","caller_name":"JANE DOE",}]}}`;

  async function probeError(pii: typeof MASKED | Record<string, never>): Promise<Error> {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', date: new Date().toUTCString() });
      res.end(broken);
    });
    const { http } = client(server.url);
    const cfg = callsStreamSchema.parse({ pii, pii_salt: SALT });
    const ctx = { http, account: 'default', runId: 'r', syncedAtMs: 0, signal: new AbortController().signal };
    return probeCalls(ctx, cfg).then(
      () => new Error('the probe should have failed'),
      (err: Error) => err,
    );
  }

  it('a malformed first page does not quote its start when a field is not kept', async () => {
    const err = await probeError(MASKED);
    expect(err).toBeInstanceOf(BodyFormatError);
    expect(err.message).toMatch(
      /^GET \/calls\?limit=1\S*: invalid JSON at byte \d+ \(\d+ bytes\): .+; body starts: /,
    );
    expect(err.message).toContain(JSON.stringify(PREVIEW_WITHHELD));
    expectNoneOf(`${err.message}\n${err.stack}`);
  });

  it('with every field kept it does, as before', async () => {
    expect((await probeError({})).message).toContain('+1 (512) 555-0123');
  });
});

describe('PII on the export path', () => {
  const { serve, client } = httpTestKit();
  const withDecode = decodeTestKit();
  const second = { ...FULL_RECORD, id: 'b2', caller_number: '(737) 555-0199', caller_name: 'Ödön "Q" Smith' };
  const csv = csvOf([FULL_RECORD, second]);
  // A line with a cell too many, carrying personal data: rejected, and it cannot be parsed to be masked.
  const brokenLine = `c3,+1 (512) 555-0123,JANE DOE,${'x,'.repeat(40)}`;
  const body = csv.replace('\r\n', `\r\n${brokenLine}\r\n`);

  async function exportChunks(pii: typeof MASKED | Record<string, never>): Promise<ExtractChunk[]> {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end(body);
    });
    const { http } = client(server.url);
    const cfg = callsStreamSchema.parse({
      extract: 'export',
      include: ['transcription', 'summary'],
      pii,
      pii_salt: SALT,
    });
    const ctx = { http, account: 'default', runId: 'r', syncedAtMs: 0, signal: new AbortController().signal };
    const chunks: ExtractChunk[] = [];
    for await (const chunk of extractExport(withDecode(ctx), cfg, { key: 'w' })) chunks.push(chunk);
    return chunks;
  }
  const rejectsOf = (chunks: ExtractChunk[]): StreamReject[] => chunks.flatMap((c) => [...c.rejects]);

  it('rows are masked exactly as on the list path; a rejected line keeps its number and reason, not its text', async () => {
    const chunks = await exportChunks(MASKED);
    const rows = chunks.flatMap((c) => batchRows(c.batch));
    const listRows = batchRows(
      recordsToChunk([FULL_RECORD, second], { ...base, settings: settingsFor(MASKED) }, 'l').batch,
    );
    const personal = [
      'caller_number',
      'caller_name',
      'transcription',
      'summary',
      'recording_url',
      'caller_number_e164',
      '_extra',
    ];
    const pick = (r: Record<string, unknown>) => Object.fromEntries(personal.map((k) => [k, r[k]]));
    expect(rows.map(pick)).toEqual(listRows.map(pick));
    expect(rows[1].caller_number).toBe(sha256Of(SALT, '(737) 555-0199'));
    expect(rejectsOf(chunks)).toEqual([
      {
        source: 'GET /calls/export window w',
        line: 2,
        raw: RAW_WITHHELD,
        reason: expect.stringMatching(/^expected \d+ cells as in the header, got \d+/),
      },
    ]);
    for (const r of rejectsOf(chunks)) expectNoneOf(`${r.raw}\n${r.reason}`);
  });

  it('with every field kept the rejected line keeps its text', async () => {
    const [reject] = rejectsOf(await exportChunks({}));
    expect(reject.raw).toBe(brokenLine);
  });
});
