import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AI_CATEGORIES, CALL_DIRECTIONS, CALL_STATUSES } from '../../connectors/callscaler/schema.js';
import { formatCell, headerName, quote } from '../../connectors/callscaler/simulator/csv.js';
import { decodeCursor, encodeCursor } from '../../connectors/callscaler/simulator/cursor.js';
import { defaultFaults, mergeFaults } from '../../connectors/callscaler/simulator/faults.js';
import {
  type RunningSimulator,
  type SimCall,
  type SimCallHidden,
  startSimulator,
} from '../../connectors/callscaler/simulator/index.js';

const ANCHOR = Date.parse('2026-11-01T00:00:00Z');
const DAY = 86_400_000;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** calls() as JSON with the simulator's own address (in recording_url) replaced: the part a seed decides. */
function portable(sim: RunningSimulator): string {
  const json = JSON.stringify(sim.calls());
  expect(json).toContain(`"recording_url":"${sim.url}/calls/`);
  return json.replaceAll(`"${sim.url}/`, '"<sim>/');
}

describe('simulator data: determinism', () => {
  it('same seed, size and anchor give byte-identical calls (but for their address); another seed does not', async () => {
    const [a, b, c] = await Promise.all([
      startSimulator({ seed: 7, size: 2000 }),
      startSimulator({ seed: 7, size: 2000 }),
      startSimulator({ seed: 8, size: 2000 }),
    ]);
    try {
      expect(a.url).not.toBe(b.url);
      expect(portable(a)).toBe(portable(b));
      expect(a.hiddenFields()).toEqual(b.hiddenFields());
      expect(portable(a)).not.toBe(portable(c));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('a smaller dataset is a prefix of a larger one with the same seed', async () => {
    const [small, large] = await Promise.all([startSimulator({ size: 300 }), startSimulator({ size: 900 })]);
    try {
      const largeById = new Map(large.calls().map((c) => [c.id, c]));
      for (const c of small.calls()) {
        const url = c.recording_url?.replace(small.url, large.url) ?? null;
        expect(largeById.get(c.id)).toEqual({ ...c, recording_url: url });
      }
    } finally {
      await Promise.all([small.close(), large.close()]);
    }
  });

  it('replays the same mutations identically under the same clock', async () => {
    const clock = () => Date.parse('2026-11-02T10:00:00.250Z');
    const [a, b] = await Promise.all([
      startSimulator({ seed: 3, size: 400, now: clock }),
      startSimulator({ seed: 3, size: 400, now: clock }),
    ]);
    try {
      for (const m of [{ add: 5, change: 3 }, { change: 60 }, { add: 2 }])
        expect(a.mutate(m)).toEqual(b.mutate(m));
      expect(portable(a)).toBe(portable(b));
      expect(a.hiddenFields()).toEqual(b.hiddenFields());
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('simulator data: realism and hard cases (2000 calls)', () => {
  let sim: RunningSimulator;
  let calls: SimCall[];
  let hidden: Map<string, SimCallHidden>;
  const count = (f: (c: SimCall) => boolean) => calls.filter(f).length;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 2024, size: 2000 });
    calls = sim.calls();
    hidden = new Map(sim.hiddenFields().map((h) => [h.id, h]));
  });
  afterAll(() => sim.close());

  it('has unique UUID v4 ids, documented enums and times inside the window', () => {
    expect(new Set(calls.map((c) => c.id)).size).toBe(2000);
    for (const c of calls) {
      expect(c.id).toMatch(UUID_V4);
      expect(c.number_id).toMatch(UUID_V4);
      expect(CALL_STATUSES).toContain(c.status);
      expect(CALL_DIRECTIONS).toContain(c.direction);
      if (c.ai_category !== null) expect(AI_CATEGORIES).toContain(c.ai_category);
      expect(c.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
      const created = Date.parse(c.created_at);
      expect(created).toBeGreaterThanOrEqual(ANCHOR - 120 * DAY);
      expect(created).toBeLessThan(ANCHOR);
      expect(Date.parse(hidden.get(c.id)!.updated_at)).toBeGreaterThanOrEqual(created);
    }
    expect(count((c) => c.created_at.length === 20)).toBeGreaterThan(100);
    expect(count((c) => c.created_at.length === 24)).toBeGreaterThan(100);
  });

  it('keeps status, recording and AI fields consistent', () => {
    for (const c of calls) {
      if (c.status === 'completed') expect(c.duration_seconds).toBeGreaterThan(0);
      if (['no-answer', 'busy', 'failed'].includes(c.status)) {
        expect(c).toMatchObject({ duration_seconds: 0, recording_url: null, recording_duration: null });
        expect(c).toMatchObject({
          has_transcription: false,
          ai_score: null,
          ai_category: null,
          summary: null,
        });
        expect(c.keywords_spotted).toEqual([]);
      }
      expect(c.has_transcription).toBe(c.transcription !== null);
      expect(c.ai_score === null).toBe(c.ai_category === null);
      expect(c.ai_score === null).toBe(c.summary === null);
      expect(c.ai_score === null).toBe(c.qualified_ai === null);
      if (c.has_transcription) expect(c.recording_url).toBe(`${sim.url}/calls/${c.id}/recording`);
      expect(c.recording_url === null).toBe(c.recording_duration === null);
      for (const k of c.keywords_spotted) {
        expect(k).not.toMatch(/[,;"]/);
        expect(c.transcription).toContain(k);
      }
      if (c.robo_score !== null) expect(c.robo_score >= 0 && c.robo_score <= 1).toBe(true);
    }
    const recorded = calls.filter((c) => c.recording_url !== null);
    const pending = recorded.filter((c) => !c.has_transcription).length / recorded.length;
    expect(pending).toBeGreaterThan(0.05);
    expect(pending).toBeLessThan(0.2);
    expect(count((c) => c.status === 'voicemail' && c.ai_category === 'voicemail')).toBeGreaterThan(3);
    expect(count((c) => c.robo_score !== null && !Number.isInteger(c.robo_score))).toBeGreaterThan(100);
    expect(count((c) => c.keywords_spotted.length === 0 && c.has_transcription)).toBeGreaterThan(3);
    expect(count((c) => c.keywords_spotted.length > 1)).toBeGreaterThan(3);
  });

  it('attributes each source the way real traffic looks', () => {
    const url = (c: SimCall) => new URL(c.landing_page_url ?? 'https://x.invalid/');
    for (const c of calls) {
      const q = url(c).searchParams;
      const utm = (k: 'utm_source' | 'utm_medium') => c[k] ?? q.get(k);
      if (c.source === 'google') {
        expect(c.gclid).not.toBeNull();
        expect([utm('utm_source'), utm('utm_medium')]).toEqual(['google', 'cpc']);
        expect(q.get('gclid')).toBe(c.gclid);
      } else if (c.source === 'facebook') {
        expect(c.fbclid).not.toBeNull();
        expect(utm('utm_source')).toBe('facebook');
        expect(['paid_social', 'social']).toContain(utm('utm_medium'));
      } else if (c.source === 'bing') {
        expect(c.msclkid).not.toBeNull();
        expect(utm('utm_medium')).toBe('cpc');
      } else if (c.source === 'organic') {
        expect([c.gclid, c.fbclid, c.msclkid, c.utm_source]).toEqual([null, null, null, null]);
        expect(c.referrer_url).toMatch(/^https:\/\/(www\.google\.com|www\.bing\.com|duckduckgo\.com)\/$/);
      } else if (c.source === 'direct') {
        expect([c.utm_source, c.utm_medium, c.referrer_url, c.gclid]).toEqual([null, null, null, null]);
      }
    }
    expect(
      count((c) => c.source === 'organic' && c.referrer_url === 'https://www.google.com/'),
    ).toBeGreaterThan(3);
    // Empty UTM fields while the landing page URL still carries them: the connector backfills these.
    expect(count((c) => c.utm_source === null && url(c).searchParams.has('utm_source'))).toBeGreaterThan(3);
  });

  it('contains every hard case several times', () => {
    const has = (f: keyof SimCall, test: (s: string) => boolean) =>
      count((c) => typeof c[f] === 'string' && test(c[f] as string));
    expect(has('caller_name', (s) => /[^\x00-\x7f]/.test(s))).toBeGreaterThan(3);
    expect(has('caller_name', (s) => /\p{Extended_Pictographic}/u.test(s))).toBeGreaterThan(3);
    expect(has('caller_name', (s) => /\p{Script=Han}/u.test(s))).toBeGreaterThan(3);
    expect(calls.map((c) => c.caller_name)).toContain('José Müller');
    for (const f of ['caller_name', 'qualification_reason', 'summary', 'transcription'] as const) {
      for (const ch of [',', '"', '\n', '\r\n'])
        expect(
          has(f, (s) => s.includes(ch)),
          `${f} ${JSON.stringify(ch)}`,
        ).toBeGreaterThan(2);
    }
    expect(count((c) => c.caller_name === null)).toBeGreaterThan(3);
    expect(has('transcription', (s) => Buffer.byteLength(s) >= 50_000)).toBeGreaterThan(3);
    expect(count((c) => c.value_cents !== null && c.value_cents > 2 ** 31)).toBeGreaterThan(3);
    expect(count((c) => c.cost_cents !== null && c.cost_cents > 0)).toBeGreaterThan(1000);
    expect(has('caller_number', (s) => s.startsWith('+44'))).toBeGreaterThan(3);
    expect(has('caller_number', (s) => /^\(\d{3}\) \d{3}-\d{4}$/.test(s))).toBeGreaterThan(3);
    expect(has('caller_number', (s) => /^\d{3}\.\d{3}\.\d{4}$/.test(s))).toBeGreaterThan(3);
    expect(has('caller_number', (s) => /^\+1\d{10}$/.test(s))).toBeGreaterThan(3);
    expect(
      new Set(calls.map((c) => new URL(c.landing_page_url ?? 'https://none/').host)).size,
    ).toBeGreaterThan(3);
  });

  it('shares long texts between calls instead of copying them per call', () => {
    const longOnes = calls.filter((c) => (c.transcription?.length ?? 0) >= 50_000);
    expect(new Set(longOnes.map((c) => c.transcription)).size).toBeLessThan(longOnes.length);
  });
});

describe('simulator data: mutations', () => {
  it('finishes pending AI first, adds calls at the server clock and stamps updated_at', async () => {
    let clock = Date.parse('2026-11-03T08:00:00.500Z');
    const sim = await startSimulator({ seed: 5, size: 500, now: () => clock });
    try {
      const before = new Map(sim.calls().map((c) => [c.id, c]));
      const { added, changed } = sim.mutate({ add: 4, change: 6 });
      const after = new Map(sim.calls().map((c) => [c.id, c]));
      const hidden = new Map(sim.hiddenFields().map((h) => [h.id, h]));
      expect(after.size).toBe(504);
      for (const id of changed) {
        expect(before.get(id)).toMatchObject({ has_transcription: false, ai_score: null });
        expect(before.get(id)!.recording_url).not.toBeNull();
        expect(after.get(id)).toMatchObject({ has_transcription: true });
        expect(after.get(id)!.ai_score).not.toBeNull();
        expect(hidden.get(id)!.updated_at).toBe(new Date(clock).toISOString());
      }
      for (const id of added) {
        expect(before.has(id)).toBe(false);
        expect(clock - Date.parse(after.get(id)!.created_at)).toBeLessThan(1000);
        expect(hidden.get(id)!.updated_at).toBe(new Date(clock).toISOString());
      }
      // Over HTTP, updated_since picks up exactly the touched calls.
      const since = new Date(clock - 1).toISOString();
      const res = await fetch(`${sim.url}/calls?limit=500&updated_since=${since}`, {
        headers: { authorization: `Bearer ${sim.apiKey}` },
      });
      const body = (await res.json()) as { data: { calls: SimCall[] } };
      expect(body.data.calls.map((c) => c.id).sort()).toEqual([...added, ...changed].sort());

      // With no pending calls left, changes re-score analysed calls.
      clock += 60_000;
      const drained = sim.mutate({ change: 200 }).changed;
      expect(drained).toHaveLength(200);
      const scores = new Map(sim.calls().map((c) => [c.id, c.ai_score]));
      const rescored = sim.mutate({ change: 5 }).changed;
      const final = new Map(sim.calls().map((c) => [c.id, c]));
      expect(rescored).toHaveLength(5);
      for (const id of rescored) {
        expect(scores.get(id)).not.toBeNull();
        expect(final.get(id)!.ai_score).not.toBe(scores.get(id));
      }
    } finally {
      await sim.close();
    }
  });
});

describe('simulator internals', () => {
  it('round-trips keyset cursors and rejects tampered ones', () => {
    const c = { sort: { by: 'ai_score' as const, order: 'asc' as const }, value: null, id: 'abc' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    for (const bad of [
      '',
      '!!',
      Buffer.from('[]').toString('base64url'),
      Buffer.from('{"s":"date","o":"asc","k":"x","id":"a"}').toString('base64url'),
    ]) {
      expect(() => decodeCursor(bad)).toThrow(/^cursor: /);
    }
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['crlf\r\nbreak', '"crlf\r\nbreak"'],
  ])('quotes %j as RFC 4180 requires', (input, output) => {
    expect(quote(input)).toBe(output);
  });

  it('formats cells and headers per CSV variant', () => {
    const v = { headers: 'human', bom: false, lineEnding: '\n', booleans: 'yesno', lists: 'comma' } as const;
    expect(formatCell(true, 'has_transcription', v)).toBe('yes');
    expect(formatCell(null, 'ai_score', v)).toBe('');
    expect(formatCell(['a', 'b c'], 'keywords_spotted', v)).toBe('"a,b c"');
    expect(formatCell(['a', 'b'], 'keywords_spotted', { ...v, lists: 'json' })).toBe('"[""a"",""b""]"');
    expect(formatCell(['a', 'b c'], 'keywords_spotted', { ...v, lists: 'semicolon' })).toBe('a;b c');
    expect(formatCell(['a', 'b c'], 'keywords_spotted', { ...v, lists: 'semicolon-space' })).toBe('a; b c');
    expect(formatCell(['one'], 'keywords_spotted', { ...v, lists: 'semicolon-space' })).toBe('one');
    expect(formatCell(3_000_000_123, 'value_cents', v)).toBe('3000000123');
    expect(headerName('ai_score', 'human')).toBe('Ai Score');
    expect(headerName('caller_number', 'upper')).toBe('CALLER_NUMBER');
  });

  it('validates fault patches and merges csv settings', () => {
    const merged = mergeFaults(defaultFaults(), { csv: { bom: true }, failAtRequests: [3] });
    expect(merged.csv).toEqual({ ...defaultFaults().csv, bom: true });
    expect(merged.failAtRequests).toEqual([3]);
    expect(() => mergeFaults(defaultFaults(), { rateLimit: 2 })).toThrow(/rateLimit: unknown switch/);
    expect(() => mergeFaults(defaultFaults(), { failAtRequests: [0] })).toThrow(/1-based/);
    expect(() => mergeFaults(defaultFaults(), { failStatus: 200 })).toThrow(/failStatus/);
  });
});
