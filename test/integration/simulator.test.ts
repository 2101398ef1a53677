import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_FIELDS } from '../../connectors/callscaler/schema.js';
import {
  type CsvVariant,
  type RunningSimulator,
  type SimCall,
  type SimCallHidden,
  startSimulator,
} from '../../connectors/callscaler/simulator/index.js';

const NOW = Date.parse('2026-11-15T12:34:56Z');
const FIELDS = [...API_FIELDS.map((c) => c.name), 'number_id'];

async function call(sim: RunningSimulator, path: string, init: RequestInit = {}, key = sim.apiKey) {
  const headers = { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string> | undefined) };
  return fetch(`${sim.url}${path}`, { ...init, headers });
}

/** Every shape the API answers with, loosely: list envelope, single record, batch, error. */
interface ApiBody {
  data: {
    calls: SimCall[];
    total: number;
    has_more: boolean;
    next_cursor: string | null;
    limit: number;
    offset: number;
    not_found: string[];
  };
  error: { code: string; message: string };
}

async function json(sim: RunningSimulator, path: string, init: RequestInit = {}) {
  const res = await call(sim, path, init);
  return { status: res.status, headers: res.headers, body: (await res.json()) as ApiBody };
}

/** Every call of a list query, walking offset pages of 500. */
async function listAll(sim: RunningSimulator, query: string): Promise<SimCall[]> {
  const out: SimCall[] = [];
  for (let offset = 0; ; offset += 500) {
    const { status, body } = await json(sim, `/calls?${query}&limit=500&offset=${offset}`);
    expect(status).toBe(200);
    out.push(...body.data.calls);
    if (!body.data.has_more) return out;
  }
}

/** Reference ordering, written independently of the simulator's comparator. */
function sortCalls(calls: SimCall[], by = 'date', order = 'desc'): SimCall[] {
  const key = (c: SimCall) =>
    by === 'date'
      ? Date.parse(c.created_at)
      : by === 'duration'
        ? c.duration_seconds
        : by === 'status'
          ? c.status
          : c.ai_score;
  const dir = order === 'asc' ? 1 : -1;
  return [...calls].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka === null) return 1;
      if (kb === null) return -1;
      return (ka < kb ? -1 : 1) * dir;
    }
    return (a.id < b.id ? -1 : 1) * dir;
  });
}

/** Reference filter over calls() and hiddenFields(), for each documented query parameter. */
function referenceFilter(calls: SimCall[], hidden: Map<string, SimCallHidden>, q: Record<string, string>) {
  const lc = (s: string | null) => (s ?? '').toLowerCase();
  return calls.filter((c) => {
    const h = hidden.get(c.id)!;
    const checks: Record<string, (v: string) => boolean> = {
      start_date: (v) => c.created_at.slice(0, 10) >= v,
      end_date: (v) => c.created_at.slice(0, 10) < v,
      updated_since: (v) => Date.parse(h.updated_at) > Date.parse(v),
      status: (v) => c.status === v,
      direction: (v) => c.direction === v,
      source: (v) => c.source === v,
      number_id: (v) => c.number_id === v,
      call_flow_id: (v) => h.call_flow_id === v,
      number_group_id: (v) => h.number_group_id === v,
      min_duration: (v) => c.duration_seconds >= Number(v),
      max_duration: (v) => c.duration_seconds <= Number(v),
      search: (v) =>
        [c.caller_number, c.tracking_number, c.destination_number, h.number_name].some((f) =>
          lc(f).includes(v.toLowerCase()),
        ),
      min_ai_score: (v) => c.ai_score !== null && c.ai_score >= Number(v),
      max_ai_score: (v) => c.ai_score !== null && c.ai_score <= Number(v),
      ai_category: (v) => c.ai_category === v,
      qualified: (v) => c.qualified_ai === (v === 'true'),
      has_transcription: (v) => c.has_transcription === (v === 'true'),
      caller_name: (v) => c.caller_name !== null && lc(c.caller_name).includes(v.toLowerCase()),
      keyword: (v) => c.keywords_spotted.some((k) => k.toLowerCase() === v.toLowerCase()),
    };
    return Object.entries(q).every(([k, v]) => checks[k](v));
  });
}

function stripIncluded(c: SimCall): Partial<SimCall> {
  const { transcription: _t, summary: _s, ...rest } = c;
  return rest;
}

describe('simulator: auth, envelope, endpoints', () => {
  let sim: RunningSimulator;
  let calls: SimCall[];
  let hidden: Map<string, SimCallHidden>;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 9, size: 1500, now: () => NOW });
    calls = sim.calls();
    hidden = new Map(sim.hiddenFields().map((h) => [h.id, h]));
  });
  afterAll(() => sim.close());

  it('answers 401 without the right bearer key, never echoing the key', async () => {
    for (const auth of [undefined, 'Bearer wrong-key-123', `Basic ${sim.apiKey}`, `Bearer ${sim.apiKey}x`]) {
      const res = await fetch(`${sim.url}/calls`, { headers: auth ? { authorization: auth } : {} });
      const text = await res.text();
      expect(res.status).toBe(401);
      expect(JSON.parse(text)).toEqual({
        error: { code: 'unauthorized', message: 'Invalid or missing API key' },
      });
      expect(text).not.toContain('wrong-key-123');
      expect(text).not.toContain(sim.apiKey);
    }
  });

  it('wraps the list in the documented envelope with the default limit 50', async () => {
    const { status, headers, body } = await json(sim, '/calls');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(body.data)).toEqual(['calls', 'total', 'has_more', 'next_cursor', 'limit', 'offset']);
    expect(body.data).toMatchObject({ total: 1500, has_more: true, limit: 50, offset: 0 });
    expect(typeof body.data.next_cursor).toBe('string');
    expect(body.data.calls).toHaveLength(50);
    for (const c of body.data.calls) expect(Object.keys(c)).toEqual(FIELDS);
    expect(body.data.calls).toEqual(sortCalls(calls).slice(0, 50).map(stripIncluded));
  });

  it('accepts limit up to 500 and rejects 501', async () => {
    const ok = await json(sim, '/calls?limit=500');
    expect(ok.body.data.calls).toHaveLength(500);
    const tooMany = await json(sim, '/calls?limit=501');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toEqual({
      code: 'invalid_parameter',
      message: 'limit: must be between 1 and 500',
    });
  });

  it.each([
    ['limit=abc', 'limit'],
    ['limit=0', 'limit'],
    ['offset=-1', 'offset'],
    ['status=ringing', 'status'],
    ['direction=sideways', 'direction'],
    ['start_date=2026-13-01', 'start_date'],
    ['end_date=2026-02-30', 'end_date'],
    ['start_date=yesterday', 'start_date'],
    ['updated_since=last-week', 'updated_since'],
    ['min_duration=1.5', 'min_duration'],
    ['max_duration=-3', 'max_duration'],
    ['min_ai_score=101', 'min_ai_score'],
    ['ai_category=vip', 'ai_category'],
    ['qualified=yes', 'qualified'],
    ['has_transcription=1', 'has_transcription'],
    ['number_id=not-a-uuid', 'number_id'],
    ['sort_by=name', 'sort_by'],
    ['sort_order=up', 'sort_order'],
    ['include=recording', 'include'],
    ['cursor=%%%', 'cursor'],
    [`cursor=${Buffer.from('{"s":"date"}').toString('base64url')}`, 'cursor'],
  ])('rejects %s with 400 invalid_parameter naming the parameter', async (query, param) => {
    const { status, body } = await json(sim, `/calls?${query}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_parameter');
    expect(body.error.message.startsWith(`${param}: `)).toBe(true);
  });

  it('applies every documented filter exactly like an independent filter over calls()', async () => {
    const withKeyword = calls.find((c) => c.keywords_spotted.length > 0)!;
    const sample = calls[17];
    const h = hidden.get(sample.id)!;
    const sortedUpdates = sim
      .hiddenFields()
      .map((x) => x.updated_at)
      .sort();
    const cases: Record<string, string>[] = [
      { start_date: '2026-09-01', end_date: '2026-09-15' },
      { updated_since: sortedUpdates[1200] },
      { status: 'voicemail' },
      { direction: 'outbound' },
      { source: 'facebook' },
      { number_id: sample.number_id },
      { call_flow_id: h.call_flow_id },
      { number_group_id: h.number_group_id },
      { min_duration: '60', max_duration: '300' },
      { search: sample.caller_number.slice(-4) },
      { search: 'GOOGLE ADS' },
      { search: sample.tracking_number.slice(2, 7) },
      { min_ai_score: '70' },
      { max_ai_score: '20' },
      { ai_category: 'spam' },
      { qualified: 'true' },
      { qualified: 'false' },
      { has_transcription: 'false' },
      { caller_name: 'JOSÉ' },
      { caller_name: 'smith' },
      { keyword: withKeyword.keywords_spotted[0].toUpperCase() },
      { source: 'google', qualified: 'true', min_ai_score: '70', status: 'completed' },
    ];
    for (const q of cases) {
      const got = await listAll(sim, new URLSearchParams(q).toString());
      const want = sortCalls(referenceFilter(calls, hidden, q)).map(stripIncluded);
      expect(want.length, JSON.stringify(q)).toBeGreaterThan(0);
      expect(want.length, JSON.stringify(q)).toBeLessThan(calls.length);
      expect(got, JSON.stringify(q)).toEqual(want);
    }
  });

  it('pages by offset through the whole result', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 1500; offset += 400) {
      const { body } = await json(sim, `/calls?limit=400&offset=${offset}&sort_by=duration&sort_order=asc`);
      expect(body.data.offset).toBe(offset);
      expect(body.data.has_more).toBe(offset + 400 < 1500);
      if (!body.data.has_more) expect(body.data.next_cursor).toBeNull();
      seen.push(...body.data.calls.map((c: SimCall) => c.id));
    }
    expect(seen).toEqual(sortCalls(calls, 'duration', 'asc').map((c) => c.id));
    const past = await json(sim, '/calls?offset=5000');
    expect(past.body.data).toMatchObject({ calls: [], total: 1500, has_more: false, next_cursor: null });
  });

  it.each([
    ['date', 'desc'],
    ['date', 'asc'],
    ['duration', 'desc'],
    ['duration', 'asc'],
    ['status', 'desc'],
    ['status', 'asc'],
    ['ai_score', 'desc'],
    ['ai_score', 'asc'],
  ])('sorts by %s %s (ties by id, null ai_score last)', async (by, order) => {
    const got = await listAll(sim, `sort_by=${by}&sort_order=${order}`);
    expect(got.map((c) => c.id)).toEqual(sortCalls(calls, by, order).map((c) => c.id));
    if (by === 'ai_score') expect(got[got.length - 1].ai_score).toBeNull();
  });

  it('adds transcription and summary only when include= asks', async () => {
    const both = (await json(sim, '/calls?limit=100&include=transcription,summary')).body.data.calls;
    expect(both).toEqual(sortCalls(calls).slice(0, 100));
    const onlyT = (await json(sim, '/calls?limit=5&include=transcription')).body.data.calls;
    for (const c of onlyT) {
      expect(c).toHaveProperty('transcription');
      expect(c).not.toHaveProperty('summary');
    }
    const onlyS = (await json(sim, '/calls?limit=5&include=summary')).body.data.calls;
    for (const c of onlyS) {
      expect(c).toHaveProperty('summary');
      expect(c).not.toHaveProperty('transcription');
    }
  });

  it('returns one full record by id and 404 for an unknown id', async () => {
    const target = calls.find((c) => c.has_transcription)!;
    const { status, body } = await json(sim, `/calls/${target.id}`);
    expect(status).toBe(200);
    expect(body.data).toEqual(target);
    const missing = await json(sim, '/calls/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('looks up 1 to 100 ids in a batch and reports the missing ones', async () => {
    const post = (body: string) =>
      json(sim, '/calls/batch', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const ids = [calls[3].id, calls[700].id, 'nope-1', calls[1499].id];
    const { status, body } = await post(JSON.stringify({ ids }));
    expect(status).toBe(200);
    expect(body.data.calls).toEqual([calls[3], calls[700], calls[1499]]);
    expect(body.data.not_found).toEqual(['nope-1']);
    const hundred = await post(JSON.stringify({ ids: calls.slice(0, 100).map((c) => c.id) }));
    expect(hundred.body.data.calls).toHaveLength(100);
    for (const bad of [{ ids: [] }, { ids: calls.slice(0, 101).map((c) => c.id) }, { ids: [1, 2] }, {}]) {
      const r = await post(JSON.stringify(bad));
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/^ids: /);
    }
    expect((await post('{not json')).status).toBe(400);
    expect((await json(sim, '/calls/batch')).status).toBe(405);
  });

  it('serves recordings as playable 8 kHz mono 16-bit WAV, 404 when not recorded', async () => {
    const recorded = calls.find((c) => c.recording_url !== null && c.recording_duration! >= 7)!;
    const res = await call(sim, `/calls/${recorded.id}/recording`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    const wav = Buffer.from(await res.arrayBuffer());
    expect(wav.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(wav.subarray(8, 12).toString('ascii')).toBe('WAVE');
    expect(wav.readUInt16LE(20)).toBe(1); // PCM
    expect(wav.readUInt16LE(22)).toBe(1); // mono
    expect(wav.readUInt32LE(24)).toBe(8000);
    expect(wav.readUInt16LE(34)).toBe(16);
    expect(wav.readUInt32LE(40)).toBe(5 * 8000 * 2); // capped at 5 s
    expect(wav.length).toBe(44 + 5 * 8000 * 2);
    expect(wav.subarray(44).some((b) => b !== 0)).toBe(true);
    const again = Buffer.from(await (await call(sim, `/calls/${recorded.id}/recording`)).arrayBuffer());
    expect(again.equals(wav)).toBe(true);

    const silent = calls.find((c) => c.recording_url === null)!;
    const none = await json(sim, `/calls/${silent.id}/recording`);
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('not_found');
  });

  it('serves transcriptions, 404 when there is none', async () => {
    const t = calls.find((c) => c.has_transcription)!;
    const { status, body } = await json(sim, `/calls/${t.id}/transcription`);
    expect(status).toBe(200);
    expect(body).toEqual({ data: { call_id: t.id, transcription: t.transcription } });
    const none = calls.find((c) => !c.has_transcription)!;
    expect((await json(sim, `/calls/${none.id}/transcription`)).status).toBe(404);
  });

  it('answers unknown paths with 404 JSON and ignores unknown query parameters', async () => {
    for (const path of ['/numbers', '/calls/a/b/c', '/calls/x/notes']) {
      const { status, body } = await json(sim, path);
      expect(status).toBe(404);
      expect(body.error.code).toBe('not_found');
    }
    expect((await json(sim, '/calls?utm_whatever=1&limit=3')).body.data.calls).toHaveLength(3);
  });

  it('sends the Date header from the simulator clock on every response', async () => {
    const expected = new Date(NOW).toUTCString();
    const responses = [
      await call(sim, '/calls?limit=1'),
      await call(sim, '/calls', {}, 'bad'),
      await call(sim, '/nowhere'),
      await call(sim, '/calls/export?status=busy'),
      await call(sim, `/calls/${calls.find((c) => c.recording_url)!.id}/recording`),
      await fetch(`${sim.url.replace('/api/v1', '')}/_sim/stats`),
    ];
    for (const res of responses) {
      expect(res.headers.get('date')).toBe(expected);
      await res.arrayBuffer();
    }
  });
});

describe('simulator: cursor paging while data changes', () => {
  it.each([
    ['new calls newer than all others', Date.parse('2026-11-02T00:00:00Z'), 'sort_by=date', false],
    ['new calls in the middle of the range', Date.parse('2026-09-01T00:00:00Z'), 'sort_by=date', true],
    ['duration order', Date.parse('2026-09-01T00:00:00Z'), 'sort_by=duration&sort_order=asc', true],
  ])('visits every existing call exactly once (%s)', async (_name, start, sortQuery, seesNewCalls) => {
    let clock = start;
    const sim = await startSimulator({ seed: 13, size: 800, now: () => clock });
    try {
      const initial = sim.calls().map((c) => c.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const q: string = cursor ? `limit=60&cursor=${cursor}` : `limit=60&${sortQuery}`;
        const { status, body } = await json(sim, `/calls?${q}`);
        expect(status).toBe(200);
        seen.push(...body.data.calls.map((c: SimCall) => c.id));
        cursor = body.data.next_cursor;
        clock += 60_000;
        const m = sim.mutate({ add: 9, change: 6 });
        expect(m.added).toHaveLength(9);
        expect(m.changed).toHaveLength(6);
        pages++;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(initial));
      const finalIds = new Set(sim.calls().map((c) => c.id));
      expect(seen.every((id) => finalIds.has(id))).toBe(true);
      expect(pages).toBeGreaterThan(13);
      // Calls added ahead of the cursor are picked up; calls added behind it are not (keyset semantics).
      expect(seen.length > initial.length).toBe(seesNewCalls);
    } finally {
      await sim.close();
    }
  });
});

describe('simulator: CSV export', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 9, size: 1200 });
  });
  afterAll(() => sim.close());

  const TYPES = new Map(API_FIELDS.map((c) => [c.name, c.type]));

  function fromCsv(raw: string, v: CsvVariant): Record<string, unknown>[] {
    const rows: string[][] = parse(raw, { bom: true, relax_column_count: false });
    const header = rows[0].map((h) => h.toLowerCase().replace(/ /g, '_'));
    return rows.slice(1).map((cells) => {
      const out: Record<string, unknown> = {};
      header.forEach((name, i) => {
        const cell = cells[i];
        const type = TYPES.get(name) ?? 'utf8';
        if (type === 'list_utf8') {
          if (v.lists === 'json') out[name] = JSON.parse(cell);
          else
            out[name] =
              cell === '' ? [] : cell.split({ semicolon: ';', 'semicolon-space': '; ', comma: ',' }[v.lists]);
        } else if (cell === '') out[name] = null;
        else if (type === 'bool') out[name] = ['true', 'yes', '1'].includes(cell);
        else if (type === 'int32' || type === 'int64' || type === 'float64') out[name] = Number(cell);
        else out[name] = cell;
      });
      return out;
    });
  }

  const variants: CsvVariant[] = [
    { headers: 'snake', bom: false, lineEnding: '\r\n', booleans: 'truefalse', lists: 'json' },
    { headers: 'human', bom: true, lineEnding: '\n', booleans: 'yesno', lists: 'semicolon' },
    { headers: 'upper', bom: false, lineEnding: '\r\n', booleans: '10', lists: 'comma' },
    { headers: 'snake', bom: true, lineEnding: '\n', booleans: 'truefalse', lists: 'comma' },
    // The independent server's dialect (the bench's default data shape).
    { headers: 'human', bom: false, lineEnding: '\r\n', booleans: 'truefalse', lists: 'semicolon-space' },
  ];

  it.each(variants)('parses back to exactly calls() for %o', async (variant) => {
    sim.setFaults({ csv: variant });
    const res = await call(sim, '/calls/export?include=transcription,summary');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf).toBe(variant.bom);
    const raw = bytes.toString('utf8');
    const firstLine = raw.slice(0, raw.indexOf('\n') + 1);
    expect(firstLine.endsWith(variant.lineEnding)).toBe(true);
    if (variant.lineEnding === '\n') expect(firstLine.endsWith('\r\n')).toBe(false);
    if (variant.headers === 'human') expect(firstLine).toContain('Caller Number,');
    if (variant.headers === 'human') expect(firstLine).toContain(',Ai Score,');
    if (variant.headers === 'upper') expect(firstLine).toContain('CALLER_NUMBER,');
    const header = parse(firstLine, { bom: true })[0] as string[];
    expect(header.map((h) => h.toLowerCase().replace(/ /g, '_'))).toEqual([
      ...API_FIELDS.map((c) => c.name),
      'transcription',
      'summary',
      'number_id',
    ]);
    expect(fromCsv(raw, variant)).toEqual(sortCalls(sim.calls()));
    sim.resetFaults();
  });

  it('uses the list filters and sort, without included columns unless asked', async () => {
    const q = 'status=completed&source=google&sort_by=duration&sort_order=asc';
    const raw = await (await call(sim, `/calls/export?${q}&limit=5`)).text();
    const rows = fromCsv(raw, variants[0]);
    expect(rows).toEqual(await listAll(sim, q));
    expect(Object.keys(rows[0])).toEqual(FIELDS);
    const bad = await json(sim, '/calls/export?status=nope');
    expect(bad.status).toBe(400);
  });
});

describe('simulator: fault switches and control endpoints', () => {
  const sims: RunningSimulator[] = [];
  const fresh = async (faults = {}) => {
    const sim = await startSimulator({ seed: 1, size: 60, faults });
    sims.push(sim);
    return sim;
  };
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.close()));
  });

  it('answers every Nth request 429 with Retry-After', async () => {
    const sim = await fresh({ rateLimitEvery: 3, retryAfterSeconds: 7 });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await call(sim, '/calls?limit=1');
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).toBe('7');
        expect(((await res.json()) as ApiBody).error.code).toBe('rate_limited');
      } else await res.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
  });

  it('fails chosen requests with failStatus', async () => {
    const sim = await fresh({ failAtRequests: [2], failStatus: 502 });
    expect((await json(sim, '/calls')).status).toBe(200);
    const failed = await json(sim, '/calls');
    expect(failed.status).toBe(502);
    expect(failed.body.error.code).toBe('server_error');
    expect((await json(sim, '/calls')).status).toBe(200);
    expect(sim.requestLog.map((r) => r.status)).toEqual([200, 502, 200]);
  });

  it('resets the connection without a response', async () => {
    const sim = await fresh({ resetAtRequests: [1] });
    await expect(call(sim, '/calls')).rejects.toThrow();
    expect((await json(sim, '/calls')).status).toBe(200);
    expect(sim.requestLog[0]).toMatchObject({ path: '/api/v1/calls', status: 0 });
  });

  it('hangs chosen requests long enough to trip a client timeout', async () => {
    const sim = await fresh({ hangAtRequests: [1], hangMs: 30_000 });
    await expect(call(sim, '/calls', { signal: AbortSignal.timeout(300) })).rejects.toThrow(/timeout|abort/i);
    expect((await json(sim, '/calls')).status).toBe(200);
  });

  it('delays responses by latencyMs', async () => {
    const sim = await fresh({ latencyMs: 30_000 });
    await expect(call(sim, '/calls', { signal: AbortSignal.timeout(300) })).rejects.toThrow(/timeout|abort/i);
    sim.setFaults({ latencyMs: 0 });
    expect((await json(sim, '/calls')).status).toBe(200);
  });

  it('truncates bodies mid-way (JSON and CSV)', async () => {
    const sim = await fresh({ truncateAtRequests: [1, 2] });
    await expect(call(sim, '/calls?include=transcription').then((r) => r.text())).rejects.toThrow();
    await expect(call(sim, '/calls/export?include=transcription').then((r) => r.text())).rejects.toThrow();
    // The status line went out as 200: only the body is cut.
    expect(sim.requestLog.map((r) => r.status)).toEqual([200, 200]);
    expect((await json(sim, '/calls')).status).toBe(200);
  });

  it('sends malformed JSON and broken CSV with status 200', async () => {
    const sim = await fresh({ malformedAtRequests: [1, 2] });
    const res = await call(sim, '/calls');
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
    const csv = await call(sim, '/calls/export');
    expect(csv.status).toBe(200);
    const raw = await csv.text();
    expect(() => parse(raw, { bom: true })).toThrow(/record length|column/i);
    const good = parse((await (await call(sim, '/calls/export')).text()) as string, { bom: true });
    expect(good).toHaveLength(61);
  });

  it('is driven over HTTP by /_sim endpoints, which are neither counted nor faulted', async () => {
    const sim = await fresh();
    const base = sim.url.replace('/api/v1', '/_sim');
    const post = (path: string, body?: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const set = await post('/faults', { failAtRequests: [1], csv: { headers: 'upper' } });
    expect(set.status).toBe(200);
    expect(((await set.json()) as { faults: unknown }).faults).toMatchObject({
      failAtRequests: [1],
      csv: { headers: 'upper', bom: false },
    });
    expect((await json(sim, '/calls')).status).toBe(503);
    const mutated = (await (await post('/mutate', { add: 2, change: 1 })).json()) as Record<string, string[]>;
    expect(mutated.added).toHaveLength(2);
    expect(mutated.changed).toHaveLength(1);
    expect(await (await fetch(`${base}/stats`)).json()).toEqual({ requestCount: 1, size: 62 });
    expect((await post('/faults', { failAtRequest: [1] })).status).toBe(400);
    expect((await post('/faults', { csv: { lists: 'tabs' } })).status).toBe(400);
    expect((await post('/reset-faults')).status).toBe(200);
    expect((await json(sim, '/calls')).status).toBe(200);
    expect(sim.requestCount).toBe(2);
    expect(() => sim.setFaults({ latencyMs: -1 })).toThrow(/latencyMs/);
  });
});
