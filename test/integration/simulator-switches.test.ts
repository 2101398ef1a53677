import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESPONSE_FIELDS } from '../../connectors/callscaler/simulator/api-fields.js';
import {
  defaultFaults,
  type FaultPatch,
  type RunningSimulator,
  type SimCall,
  startSimulator,
} from '../../connectors/callscaler/simulator/index.js';

const DOCUMENTED = RESPONSE_FIELDS.map((f) => f.name);

async function call(sim: RunningSimulator, path: string, init: RequestInit = {}) {
  const headers = { authorization: `Bearer ${sim.apiKey}`, ...(init.headers as Record<string, string>) };
  return fetch(`${sim.url}${path}`, { ...init, headers });
}

function postBatch(sim: RunningSimulator, body: unknown) {
  return call(sim, '/calls/batch', {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
}

function postControl(sim: RunningSimulator, path: string, body: unknown) {
  return fetch(`${sim.url.replace('/api/v1', '/_sim')}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
}

/** The export parsed with its header: snake-case header names, every cell as text. */
async function exportRows(sim: RunningSimulator, query: string) {
  const res = await call(sim, `/calls/export?${query}`);
  expect(res.status).toBe(200);
  const rows: string[][] = parse(await res.text(), { bom: true });
  return {
    header: rows[0],
    rows: rows.slice(1).map((r) => Object.fromEntries(rows[0].map((h, i) => [h, r[i]]))),
  };
}

describe('simulator switches: defaults', () => {
  it('has every new switch off (or at its documented default) unless set', () => {
    const f = defaultFaults();
    expect(f).toMatchObject({
      batchShape: 'calls',
      recordingFormat: 'wav',
      recordingNoLength: false,
      recordingBytes: 0,
      recordingDelayMs: 0,
      recordingChunkBytes: 65536,
    });
    expect(f.csv.textColumns).toBe(true);
  });

  it.each<[string, unknown, RegExp]>([
    ['batchShape', { batchShape: 'object' }, /faults\.batchShape: expected one of \["calls","array"\]/],
    ['recordingFormat', { recordingFormat: 'flac' }, /faults\.recordingFormat: expected one of/],
    [
      'recordingNoLength',
      { recordingNoLength: 'yes' },
      /faults\.recordingNoLength: expected one of \[true,false\]/,
    ],
    ['recordingBytes', { recordingBytes: -1 }, /faults\.recordingBytes: expected a non-negative integer/],
    ['recordingBytes', { recordingBytes: 2 ** 31 }, /faults\.recordingBytes: expected at most/],
    [
      'recordingDelayMs',
      { recordingDelayMs: 1.5 },
      /faults\.recordingDelayMs: expected a non-negative integer/,
    ],
    ['recordingChunkBytes', { recordingChunkBytes: 0 }, /faults\.recordingChunkBytes: expected at least 1/],
    [
      'csv.textColumns',
      { csv: { textColumns: 'no' } },
      /faults\.csv\.textColumns: expected one of \[true,false\]/,
    ],
    ['an inherited name', { constructor: 1 }, /faults\.constructor: unknown switch/],
  ])(
    'rejects a bad %s in setFaults, POST /_sim/faults and the faults option',
    async (_name, patch, message) => {
      const sim = await startSimulator({ size: 5 });
      try {
        expect(() => sim.setFaults(patch as FaultPatch)).toThrow(message);
        const res = await postControl(sim, '/faults', patch);
        expect(res.status).toBe(400);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('invalid_faults');
        expect(body.error.message).toMatch(message);
      } finally {
        await sim.close();
      }
      await expect(startSimulator({ size: 5, faults: patch as FaultPatch })).rejects.toThrow(message);
    },
  );
});

describe('simulator switches: recording_url, batch shape, export text columns, request log', () => {
  let sim: RunningSimulator;
  let calls: SimCall[];
  let recorded: SimCall[];

  beforeAll(async () => {
    sim = await startSimulator({ seed: 12, size: 400 });
    calls = sim.calls();
    recorded = calls.filter((c) => c.recording_duration !== null);
  });
  afterAll(() => sim.close());

  it("points recording_url at the simulator's own recording endpoint in calls(), list, detail, batch and export", async () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(recorded.length).toBeGreaterThan(200);
    expect(recorded.length).toBeLessThan(calls.length);
    for (const c of calls) {
      expect(c.recording_url).toBe(
        c.recording_duration === null ? null : `${sim.url}/calls/${c.id}/recording`,
      );
    }
    const want = new Map(calls.map((c) => [c.id, c.recording_url]));

    const list = (await (await call(sim, '/calls?limit=500')).json()) as { data: { calls: SimCall[] } };
    expect(list.data.calls).toHaveLength(400);
    for (const c of list.data.calls) expect(c.recording_url).toBe(want.get(c.id));

    const detail = (await (await call(sim, `/calls/${recorded[0].id}`)).json()) as { data: SimCall };
    expect(detail.data.recording_url).toBe(`${sim.url}/calls/${recorded[0].id}/recording`);

    const batch = (await (await postBatch(sim, { ids: calls.slice(0, 100).map((c) => c.id) })).json()) as {
      data: { calls: SimCall[] };
    };
    for (const c of batch.data.calls) expect(c.recording_url).toBe(want.get(c.id));

    const { rows } = await exportRows(sim, '');
    expect(rows).toHaveLength(400);
    for (const r of rows) expect(r.recording_url).toBe(want.get(r.id) ?? '');

    // The URL works as it is, with the API key.
    const audio = await fetch(recorded[0].recording_url!, {
      headers: { authorization: `Bearer ${sim.apiKey}` },
    });
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect((await audio.arrayBuffer()).byteLength).toBeGreaterThan(44);
  });

  it("batchShape 'array' answers a bare array of the found calls, without a not_found list", async () => {
    const ids = [calls[5].id, 'nope-1', calls[9].id, calls[5].id, '00000000-0000-4000-8000-000000000000'];
    sim.setFaults({ batchShape: 'array' });
    try {
      const res = await postBatch(sim, { ids });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ data: [calls[5], calls[9]] });
    } finally {
      sim.resetFaults();
    }
    const calls2 = (await (await postBatch(sim, { ids })).json()) as unknown;
    expect(calls2).toEqual({
      data: { calls: [calls[5], calls[9]], not_found: ['nope-1', '00000000-0000-4000-8000-000000000000'] },
    });
    // The same switch over HTTP.
    expect((await postControl(sim, '/faults', { batchShape: 'array' })).status).toBe(200);
    try {
      const body = (await (await postBatch(sim, { ids: [calls[1].id] })).json()) as { data: unknown };
      expect(body.data).toEqual([calls[1]]);
    } finally {
      sim.resetFaults();
    }
  });

  it('csv.textColumns false leaves transcription and summary out of the export even when include= asks', async () => {
    const withTexts = await exportRows(sim, 'include=transcription,summary');
    expect(withTexts.header).toEqual([...DOCUMENTED, 'transcription', 'summary', 'number_id']);
    const withT = withTexts.rows.find((r) => r.transcription !== '')!;
    expect(withT.transcription).toBe(calls.find((c) => c.id === withT.id)!.transcription);

    sim.setFaults({ csv: { textColumns: false, headers: 'human' } });
    try {
      const without = await exportRows(sim, 'include=transcription,summary&status=completed');
      expect(without.header).toHaveLength(DOCUMENTED.length + 1);
      expect(without.header).not.toContain('Transcription');
      expect(without.header).not.toContain('Summary');
      expect(without.header.slice(0, 3)).toEqual(['Id', 'Caller Number', 'Tracking Number']);
      expect(without.header[without.header.length - 1]).toBe('Number Id');
      expect(without.rows).toHaveLength(calls.filter((c) => c.status === 'completed').length);
      // The list endpoint is not affected: include= still adds the texts there.
      const list = (await (await call(sim, '/calls?limit=3&include=transcription,summary')).json()) as {
        data: { calls: SimCall[] };
      };
      for (const c of list.data.calls) expect(Object.keys(c)).toContain('summary');
    } finally {
      sim.resetFaults();
    }
    expect((await postControl(sim, '/faults', { csv: { textColumns: false } })).status).toBe(200);
    try {
      const viaHttp = await exportRows(sim, 'include=summary');
      expect(viaHttp.header).toEqual([...DOCUMENTED, 'number_id']);
    } finally {
      sim.resetFaults();
    }
  });

  it('logs how many ids each POST /calls/batch carried, also when it was refused', async () => {
    const before = sim.requestLog.length;
    const ids = calls.map((c) => c.id);
    for (const n of [100, 100, 50]) expect((await postBatch(sim, { ids: ids.slice(0, n) })).status).toBe(200);
    expect((await postBatch(sim, { ids: ids.slice(0, 101) })).status).toBe(400);
    expect((await postBatch(sim, '{not json')).status).toBe(400);
    expect((await postBatch(sim, { ids: 'all' })).status).toBe(400);
    sim.setFaults({ failAtRequests: [sim.requestCount + 1] });
    expect((await postBatch(sim, { ids: ids.slice(0, 7) })).status).toBe(503);
    sim.resetFaults();
    expect((await call(sim, '/calls?limit=1')).status).toBe(200);

    const log = sim.requestLog.slice(before);
    expect(log.map((e) => [e.method, e.status, e.ids])).toEqual([
      ['POST', 200, 100],
      ['POST', 200, 100],
      ['POST', 200, 50],
      ['POST', 400, 101],
      ['POST', 400, undefined],
      ['POST', 400, undefined],
      ['POST', 503, 7],
      ['GET', 200, undefined],
    ]);
    expect('ids' in log[7]).toBe(false);
    expect(log.filter((e) => e.path.endsWith('/calls/batch') && e.status === 200)).toHaveLength(3);
  });
});
