import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimCall } from '../../connectors/callscaler/simulator/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = path.join(ROOT, 'connectors/callscaler/simulator/main.ts');
const KEY = 'cs_key_simulator';

interface Started {
  child: ChildProcess;
  url: string;
}

const children: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(
    children.splice(0).map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
});

/** Runs main.ts from source (through tsx) and waits for its `{"url":...}` line. */
function startMain(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
    });
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.once('exit', (code) => reject(new Error(`main.ts exited with ${code}: ${err}`)));
  });
}

async function get(url: string): Promise<{ data: { calls: SimCall[]; total: number } }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${KEY}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as { data: { calls: SimCall[]; total: number } };
}

describe('simulator main.ts: flags and environment', () => {
  it('takes --phone-format, --anchor, --days, --size and a JSON --faults patch', async () => {
    const { url } = await startMain([
      '--size',
      '40',
      '--phone-format',
      'e164',
      '--anchor',
      '2025-01-01T00:00:00Z',
      '--days',
      '10',
      '--faults',
      '{"batchShape":"array","recordingFormat":"ogg"}',
    ]);
    const list = await get(`${url}/calls?limit=100&include=transcription,summary`);
    expect(list.data.total).toBe(40);
    for (const c of list.data.calls) {
      expect(c.caller_number).toMatch(/^\+[1-9]\d{9,14}$/);
      expect(c.created_at < '2025-01-01').toBe(true);
      expect(c.created_at >= '2024-12-22').toBe(true);
    }
    const batch = await fetch(`${url}/calls/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ids: [list.data.calls[0].id, 'missing'] }),
    });
    expect(await batch.json()).toEqual({ data: [list.data.calls[0]] });
    const recorded = list.data.calls.find((c) => c.recording_url !== null)!;
    expect(recorded.recording_url).toBe(`${url}/calls/${recorded.id}/recording`);
    const audio = await fetch(recorded.recording_url!, { headers: { authorization: `Bearer ${KEY}` } });
    expect(audio.headers.get('content-type')).toBe('audio/ogg');
  });

  it('reads CALLSCALER_SIM_PHONE_FORMAT and CALLSCALER_SIM_FAULTS; --latency does not drop the JSON switches', async () => {
    const { url } = await startMain(['--size', '30', '--latency', '1'], {
      CALLSCALER_SIM_PHONE_FORMAT: 'e164',
      CALLSCALER_SIM_FAULTS: '{"recordingFormat":"mp3","csv":{"textColumns":false}}',
    });
    const faults = (await (
      await fetch(`${url.replace('/api/v1', '/_sim')}/faults`, { method: 'POST', body: '{}' })
    ).json()) as { faults: Record<string, unknown> };
    expect(faults.faults).toMatchObject({
      latencyMs: 1,
      recordingFormat: 'mp3',
      csv: { textColumns: false, headers: 'snake' },
    });
    for (const c of (await get(`${url}/calls?limit=30`)).data.calls) {
      for (const n of [c.caller_number, c.tracking_number, c.destination_number])
        expect(n).toMatch(/^\+\d+$/);
    }
  });

  it('--now sets the provider clock (the Date header) and lets it run; CALLSCALER_SIM_NOW likewise', async () => {
    const { url } = await startMain([
      '--size',
      '20',
      '--anchor',
      '2026-08-01T00:00:00Z',
      '--now',
      '2026-11-01T06:00:00Z',
    ]);
    const res = await fetch(`${url}/calls?limit=1`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(200);
    const date = Date.parse(res.headers.get('date')!);
    // Whole seconds, and a few seconds of start-up at most.
    expect(date).toBeGreaterThanOrEqual(Date.parse('2026-11-01T06:00:00Z'));
    expect(date).toBeLessThan(Date.parse('2026-11-01T06:00:30Z'));
    const body = (await res.json()) as { data: { calls: SimCall[] } };
    expect(body.data.calls[0].created_at < '2026-08-01').toBe(true);

    const fromEnv = await startMain(['--size', '5'], { CALLSCALER_SIM_NOW: '2030-01-02T00:00:00Z' });
    const res2 = await fetch(`${fromEnv.url}/calls?limit=1`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res2.headers.get('date')).toMatch(/^Wed, 02 Jan 2030 00:00:\d\d GMT$/);
  });

  it('refuses a --now that is not a date', async () => {
    await expect(startMain(['--size', '5', '--now', 'yesterday'])).rejects.toThrow(
      /--now \/ CALLSCALER_SIM_NOW is not an ISO date: yesterday/,
    );
  });

  it('fails with a clear message for a --faults value that is not JSON or names an unknown switch', async () => {
    await expect(startMain(['--size', '5', '--faults', '{batchShape:array}'])).rejects.toThrow(
      /--faults \/ CALLSCALER_SIM_FAULTS must be JSON/,
    );
    await expect(startMain(['--size', '5', '--faults', '{"batchShap":"array"}'])).rejects.toThrow(
      /faults\.batchShap: unknown switch/,
    );
  });
});
