import { describe, expect, it } from 'vitest';
import {
  type RunningSimulator,
  type SimCall,
  startSimulator,
} from '../../connectors/callscaler/simulator/index.js';

const E164 = /^\+[1-9]\d{9,14}$/;
const PHONES = ['caller_number', 'tracking_number', 'destination_number'] as const;

async function listAll(sim: RunningSimulator, query: string): Promise<SimCall[]> {
  const out: SimCall[] = [];
  for (let offset = 0; ; offset += 500) {
    const res = await fetch(`${sim.url}/calls?${query}&limit=500&offset=${offset}`, {
      headers: { authorization: `Bearer ${sim.apiKey}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { calls: SimCall[]; has_more: boolean } };
    out.push(...body.data.calls);
    if (!body.data.has_more) return out;
  }
}

/** The number without formatting: NANP numbers as their 10 digits, others as all their digits. */
function digits(n: string): string {
  const d = n.replace(/\D/g, '');
  return d.length === 11 && d.startsWith('1') ? d.slice(1) : d;
}

describe("simulator data shape: phoneFormat 'e164'", () => {
  it('writes every caller, tracking and destination number in E.164 and changes nothing else', async () => {
    const [mixed, e164] = await Promise.all([
      startSimulator({ seed: 77, size: 1500 }),
      startSimulator({ seed: 77, size: 1500, phoneFormat: 'e164' }),
    ]);
    try {
      const a = mixed.calls();
      const b = (await listAll(e164, 'include=transcription,summary')).sort((x, y) => (x.id < y.id ? -1 : 1));
      expect(b).toEqual(e164.calls());
      expect(b.map((c) => c.id)).toEqual(a.map((c) => c.id));
      let reformatted = 0;
      for (let i = 0; i < a.length; i++) {
        for (const field of PHONES) {
          expect(b[i][field], `${b[i].id} ${field}`).toMatch(E164);
          if (a[i][field] !== b[i][field]) reformatted++;
          if (a[i][field] !== 'anonymous') expect(digits(b[i][field])).toBe(digits(a[i][field]));
        }
        const rest = (c: SimCall) => {
          const {
            caller_number: _c,
            tracking_number: _t,
            destination_number: _d,
            recording_url: _r,
            ...o
          } = c;
          return o;
        };
        expect(rest(b[i])).toEqual(rest(a[i]));
      }
      // The default really is mixed, so the switch had work to do.
      expect(reformatted).toBeGreaterThan(500);
      for (const field of PHONES)
        expect(
          a.some((c) => !E164.test(c[field])),
          field,
        ).toBe(true);
      const anonymous = a.filter((c) => c.caller_number === 'anonymous');
      expect(anonymous.length).toBeGreaterThan(0);
      for (const c of anonymous) {
        expect(b[a.indexOf(c)].caller_number).toMatch(/^\+1\d{3}55501\d{2}$/);
      }
      const uk = b.filter((c) => c.caller_number.startsWith('+44'));
      expect(uk.length).toBeGreaterThan(5);
      for (const c of uk) expect(c.caller_number).toMatch(/^\+44\d{10}$/);
      // Live calls follow the format too.
      const added = e164.mutate({ add: 40 }).added;
      const byId = new Map(e164.calls().map((c) => [c.id, c]));
      for (const id of added) for (const field of PHONES) expect(byId.get(id)![field]).toMatch(E164);
    } finally {
      await Promise.all([mixed.close(), e164.close()]);
    }
  });

  it('rejects an unknown phoneFormat', async () => {
    await expect(startSimulator({ size: 5, phoneFormat: 'national' as 'e164' })).rejects.toThrow(
      /phoneFormat must be one of mixed, e164, got national/,
    );
  });
});

describe('simulator data shape: a dataset that ends months before now', () => {
  it('keeps every call in [anchor - days, anchor) while the clock is months later; new calls come at now', async () => {
    const anchor = Date.parse('2025-03-01T00:00:00Z');
    const now = Date.parse('2026-11-15T12:00:00Z');
    const sim = await startSimulator({
      seed: 5,
      size: 800,
      anchor: '2025-03-01T00:00:00Z',
      days: 30,
      now: () => now,
    });
    try {
      const calls = sim.calls();
      for (const c of calls) {
        const t = Date.parse(c.created_at);
        expect(t).toBeGreaterThanOrEqual(anchor - 30 * 86_400_000);
        expect(t).toBeLessThan(anchor);
      }
      const feb = await listAll(sim, 'start_date=2025-02-01&end_date=2025-03-01');
      expect(feb.length).toBe(calls.filter((c) => c.created_at.startsWith('2025-02')).length);
      expect(feb.length).toBeGreaterThan(600);
      // Nothing changed since the summer of 2025...
      expect(await listAll(sim, 'updated_since=2025-06-01T00:00:00Z')).toEqual([]);
      // ...until calls happen now.
      const { added } = sim.mutate({ add: 3 });
      const fresh = await listAll(sim, 'updated_since=2025-06-01T00:00:00Z');
      expect(fresh.map((c) => c.id).sort()).toEqual([...added].sort());
      for (const c of fresh) expect(Date.parse(c.created_at)).toBe(now);
    } finally {
      await sim.close();
    }
  });
});
