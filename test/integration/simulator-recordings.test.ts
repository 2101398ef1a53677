import http, { type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wavFor } from '../../connectors/callscaler/simulator/audio.js';
import {
  type RunningSimulator,
  type SimCall,
  startSimulator,
} from '../../connectors/callscaler/simulator/index.js';

/** GET with node:http, so the test sees the raw headers (Content-Length, Transfer-Encoding). */
function get(sim: RunningSimulator, path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${sim.url}${path}`,
      { headers: { authorization: `Bearer ${sim.apiKey}` } },
      resolve,
    );
    req.on('error', reject);
  });
}

function readAll(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('aborted')));
  });
}

async function download(sim: RunningSimulator, id: string) {
  const res = await get(sim, `/calls/${id}/recording`);
  return { status: res.statusCode, headers: res.headers, body: await readAll(res) };
}

describe('simulator recordings: formats and sizes', () => {
  let sim: RunningSimulator;
  let recorded: SimCall[];

  beforeAll(async () => {
    sim = await startSimulator({ seed: 21, size: 300 });
    recorded = sim.calls().filter((c) => c.recording_duration !== null);
  });
  afterAll(() => sim.close());

  it('serves the default WAV with Content-Length, deterministic per id (capped at 5 s, as before)', async () => {
    const c = recorded[0];
    expect(c.recording_duration).toBeGreaterThan(5);
    const a = await download(sim, c.id);
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('audio/wav');
    expect(a.headers['content-disposition']).toBe(`attachment; filename="${c.id}.wav"`);
    expect(a.headers['content-length']).toBe(String(44 + 5 * 16_000));
    expect(a.headers['transfer-encoding']).toBeUndefined();
    expect(a.body.equals(wavFor(c.id, c.recording_duration!))).toBe(true);
    expect((await download(sim, c.id)).body.equals(a.body)).toBe(true);
    expect(wavFor(c.id, 3).length).toBe(44 + 3 * 16_000);
  });

  it.each([
    ['mp3', 'audio/mpeg', 'ID3'],
    ['ogg', 'audio/ogg', 'OggS'],
  ] as const)(
    'recordingFormat %s: %s, magic %s, 1000 bytes per recorded second',
    async (format, type, magic) => {
      sim.setFaults({ recordingFormat: format });
      try {
        const short = recorded.find((x) => x.recording_duration! < 60)!;
        const long = recorded.find((x) => x.recording_duration! > 600)!;
        for (const c of [short, long]) {
          const got = await download(sim, c.id);
          expect(got.status).toBe(200);
          expect(got.headers['content-type']).toBe(type);
          expect(got.headers['content-disposition']).toBe(`attachment; filename="${c.id}.${format}"`);
          expect(got.body.length).toBe(c.recording_duration! * 1000);
          expect(got.headers['content-length']).toBe(String(got.body.length));
          expect(got.body.subarray(0, magic.length).toString('latin1')).toBe(magic);
          expect((await download(sim, c.id)).body.equals(got.body)).toBe(true);
        }
        // Different calls, different bytes.
        const [a, b] = await Promise.all([download(sim, short.id), download(sim, recorded[1].id)]);
        expect(a.body.subarray(100, 200).equals(b.body.subarray(100, 200))).toBe(false);
      } finally {
        sim.resetFaults();
      }
    },
  );

  it("recordingFormat 'mixed' picks one format per call from its id, all three across calls", async () => {
    sim.setFaults({ recordingFormat: 'mixed' });
    try {
      const seen = new Map<string, string>();
      for (const c of recorded.slice(0, 30)) {
        const got = await download(sim, c.id);
        const type = got.headers['content-type']!;
        const ext = { 'audio/wav': 'wav', 'audio/mpeg': 'mp3', 'audio/ogg': 'ogg' }[type];
        expect(got.headers['content-disposition']).toBe(`attachment; filename="${c.id}.${ext}"`);
        seen.set(c.id, type);
      }
      expect(new Set(seen.values())).toEqual(new Set(['audio/wav', 'audio/mpeg', 'audio/ogg']));
      for (const c of recorded.slice(0, 10)) {
        expect((await download(sim, c.id)).headers['content-type']).toBe(seen.get(c.id));
      }
    } finally {
      sim.resetFaults();
    }
  });

  it('recordingBytes forces the exact size, with a truthful WAV header, also above 1 MiB (streamed)', async () => {
    const c = recorded[0];
    for (const bytes of [100, 3_000_000]) {
      sim.setFaults({ recordingBytes: bytes });
      try {
        const got = await download(sim, c.id);
        expect(got.status).toBe(200);
        expect(got.headers['content-length']).toBe(String(bytes));
        expect(got.body.length).toBe(bytes);
        expect(got.body.subarray(0, 4).toString('ascii')).toBe('RIFF');
        expect(got.body.readUInt32LE(4)).toBe(bytes - 8);
        expect(got.body.readUInt32LE(40)).toBe(bytes - 44);
        expect(got.body.subarray(44).some((x) => x !== 0)).toBe(true);
        expect((await download(sim, c.id)).body.equals(got.body)).toBe(true);
      } finally {
        sim.resetFaults();
      }
    }
    sim.setFaults({ recordingBytes: 5000, recordingFormat: 'ogg' });
    try {
      const got = await download(sim, c.id);
      expect(got.body.length).toBe(5000);
      expect(got.body.subarray(0, 4).toString('latin1')).toBe('OggS');
    } finally {
      sim.resetFaults();
    }
  });

  it('recordingNoLength sends the same bytes chunked, without Content-Length', async () => {
    const c = recorded[2];
    const plain = await download(sim, c.id);
    sim.setFaults({ recordingNoLength: true, recordingChunkBytes: 1000 });
    try {
      const chunked = await download(sim, c.id);
      expect(chunked.status).toBe(200);
      expect(chunked.headers['content-length']).toBeUndefined();
      expect(chunked.headers['transfer-encoding']).toBe('chunked');
      expect(chunked.body.equals(plain.body)).toBe(true);
    } finally {
      sim.resetFaults();
    }
    expect((await download(sim, c.id)).headers['content-length']).toBe(String(plain.body.length));
  });

  it('recordingDelayMs drips pieces of recordingChunkBytes; the whole body arrives unchanged', async () => {
    const c = recorded[3];
    const plain = await download(sim, c.id);
    sim.setFaults({ recordingDelayMs: 2, recordingChunkBytes: 4096 });
    try {
      const res = await get(sim, `/calls/${c.id}/recording`);
      const sizes: number[] = [];
      res.on('data', (d: Buffer) => sizes.push(d.length));
      const body = await readAll(res);
      expect(res.headers['content-length']).toBe(String(plain.body.length));
      expect(body.equals(plain.body)).toBe(true);
      // Separate pieces, none larger than a chunk.
      expect(sizes.length).toBeGreaterThanOrEqual(Math.ceil(plain.body.length / 4096));
      expect(Math.max(...sizes)).toBeLessThanOrEqual(4096);
    } finally {
      sim.resetFaults();
    }
  });

  it('applies truncate and malformed to streamed recordings too', async () => {
    const c = recorded[4];
    const base = { recordingNoLength: true, recordingChunkBytes: 1000 };
    sim.setFaults({ ...base, truncateAtRequests: [sim.requestCount + 1] });
    try {
      const res = await get(sim, `/calls/${c.id}/recording`);
      expect(res.statusCode).toBe(200);
      await expect(readAll(res)).rejects.toThrow();
    } finally {
      sim.resetFaults();
    }
    sim.setFaults({ ...base, malformedAtRequests: [sim.requestCount + 1] });
    try {
      const got = await download(sim, c.id);
      expect(got.status).toBe(200);
      expect(got.body.subarray(0, 4).toString('ascii')).toBe('JUNK');
      expect(got.body.subarray(4).equals(wavFor(c.id, c.recording_duration!).subarray(4))).toBe(true);
    } finally {
      sim.resetFaults();
    }
  });
});

describe('simulator recordings: a slow drip a client can be killed in', () => {
  it('sends one piece, then waits; close() ends the download at once', async () => {
    const sim = await startSimulator({
      seed: 22,
      size: 50,
      faults: { recordingBytes: 50_000, recordingDelayMs: 600_000, recordingChunkBytes: 1000 },
    });
    let res: IncomingMessage | undefined;
    try {
      const c = sim.calls().find((x) => x.recording_duration !== null)!;
      res = await get(sim, `/calls/${c.id}/recording`);
      expect(res.headers['content-length']).toBe('50000');
      const first = await new Promise<Buffer>((resolve) => res!.once('data', resolve));
      // The first piece is all there is until the (10-minute) pause is over.
      expect(first.length).toBe(1000);
      expect(first.subarray(0, 4).toString('ascii')).toBe('RIFF');
      expect(sim.requestLog.at(-1)).toMatchObject({ path: `/api/v1/calls/${c.id}/recording`, status: 200 });
    } finally {
      const ended = new Promise<void>((resolve) => {
        res?.once('close', () => resolve());
      });
      res?.resume();
      await sim.close();
      await ended;
    }
    expect(res.complete).toBe(false);
  });
});
