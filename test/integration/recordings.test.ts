import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, pipelineYaml, runCli, spawnCli, writePipeline } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { listTree } from '../helpers/files.js';
import { useSimulator } from '../helpers/simulator.js';

interface Row {
  call_id: string;
  path: string | null;
  bytes: string | null;
  sha256: string | null;
  content_type: string | null;
  status: string;
}

/** The bytes the simulator serves for a call's recording, and their checksum. */
async function served(
  url: string,
  key: string,
  id: string,
): Promise<{ sha256: string; bytes: number; type: string }> {
  const res = await fetch(`${url}/calls/${id}/recording`, { headers: { authorization: `Bearer ${key}` } });
  const body = Buffer.from(await res.arrayBuffer());
  return {
    sha256: createHash('sha256').update(body).digest('hex'),
    bytes: body.length,
    type: res.headers.get('content-type') ?? '',
  };
}

const recordingsYaml = (
  dest: { type: 'duckdb'; path: string } | { type: 'parquet'; dir: string },
  extra = '',
) =>
  pipelineYaml({ destination: dest, streamExtra: extra }).replace(
    '\ndestination:',
    `  recordings:\n    dir: ./recordings\n    max_bytes: 10000000\ndestination:`,
  );

describe.each(['duckdb', 'parquet'] as const)('recordings into %s', (kind) => {
  const f = useSimulator({ size: 60, faults: { recordingFormat: 'mixed' } });

  it('downloads every recording with its checksum; a re-run downloads nothing', async () => {
    const dir = path.join(f.dir, kind);
    fs.mkdirSync(dir, { recursive: true });
    const dest =
      kind === 'duckdb'
        ? ({ type: 'duckdb', path: 'r.duckdb' } as const)
        : ({ type: 'parquet', dir: 'ds' } as const);
    const cfg = writePipeline(dir, recordingsYaml(dest));
    const first = await runCli(['run', '-c', cfg, '--json', '-q'], { env: f.env });
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as {
      streams: { stream: string; mode: string; rows: number; counters: Record<string, number> }[];
    };
    const withRecording = f.sim.calls().filter((c) => c.recording_url !== null);
    expect(withRecording.length).toBeGreaterThan(5);
    expect(summary.streams[1]).toMatchObject({
      stream: 'recordings',
      mode: 'enrich',
      rows: withRecording.length,
      counters: { downloaded: withRecording.length },
    });

    const db = kind === 'duckdb' ? path.join(dir, 'r.duckdb') : ':memory:';
    const table =
      kind === 'duckdb' ? 'call_recordings' : `read_parquet('${dir}/ds/call_recordings/*.parquet')`;
    const rows = await query<Row>(
      db,
      `SELECT call_id, path, CAST(bytes AS VARCHAR) AS bytes, sha256, content_type, status FROM ${table} ORDER BY call_id`,
    );
    expect(rows.map((r) => r.call_id)).toEqual(withRecording.map((c) => c.id).sort());
    for (const r of rows) {
      const s = await served(f.sim.url, f.sim.apiKey, r.call_id);
      const call = withRecording.find((c) => c.id === r.call_id)!;
      const ext = { 'audio/wav': 'wav', 'audio/mpeg': 'mp3', 'audio/ogg': 'ogg' }[s.type];
      expect(r).toEqual({
        call_id: call.id,
        path: `${call.created_at.slice(0, 10)}/${call.id}.${ext}`,
        bytes: String(s.bytes),
        sha256: s.sha256,
        content_type: s.type,
        status: 'downloaded',
      });
      const file = fs.readFileSync(path.join(dir, 'recordings', r.path!));
      expect(createHash('sha256').update(file).digest('hex')).toBe(s.sha256);
    }

    const before = f.sim.requestLog.length;
    const again = await runCli(['run', '-c', cfg, '--json', '-q'], { env: f.env });
    expect(again.code).toBe(0);
    const downloads = f.sim.requestLog.slice(before).filter((e) => e.path.endsWith('/recording'));
    expect(downloads).toEqual([]);
    expect(JSON.parse(again.stdout).streams[1].counters).toEqual({
      already_downloaded: withRecording.length,
    });
  });
});

describe('recordings: limits and interruptions', () => {
  const f = useSimulator({ size: 40 });

  it('a recording over max_bytes is recorded as too_large, and no file is kept', async () => {
    f.sim.setFaults({ recordingBytes: 20_000 });
    try {
      const dir = path.join(f.dir, 'big');
      fs.mkdirSync(dir);
      const cfg = writePipeline(
        dir,
        recordingsYaml({ type: 'duckdb', path: 'b.duckdb' }).replace(
          'max_bytes: 10000000',
          'max_bytes: 19999',
        ),
      );
      expect((await runCli(['run', '-c', cfg, '-q'], { env: f.env })).code).toBe(0);
      const rows = await query<{ status: string; n: number }>(
        path.join(dir, 'b.duckdb'),
        'SELECT status, count(*)::INTEGER AS n FROM call_recordings GROUP BY 1',
      );
      const withRecording = f.sim.calls().filter((c) => c.recording_url !== null).length;
      expect(rows).toEqual([{ status: 'too_large', n: withRecording }]);
      const kept = fs.existsSync(path.join(dir, 'recordings'))
        ? await listTree(path.join(dir, 'recordings'))
        : [];
      expect(kept).toEqual([]);
    } finally {
      f.sim.resetFaults();
    }
  });

  it('SIGKILL mid-download leaves no partial file under a final name; the re-run completes', async () => {
    f.sim.setFaults({ recordingDelayMs: 40, recordingChunkBytes: 2000 });
    const dir = path.join(f.dir, 'kill');
    fs.mkdirSync(dir);
    const cfg = writePipeline(dir, recordingsYaml({ type: 'duckdb', path: 'k.duckdb' }));
    const child = spawnCli(['run', '-c', cfg, '-q'], { env: f.env });
    // Kill once a download is under way: a part file exists.
    const recordings = path.join(dir, 'recordings');
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const files = fs.existsSync(recordings)
          ? fs.readdirSync(recordings, { recursive: true }).map(String)
          : [];
        if (files.some((n) => n.includes('.part-'))) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 10);
    });
    const killed = await collect(child);
    expect(killed.signal).toBe('SIGKILL');
    f.sim.resetFaults();
    // Every file under a final name is a whole recording.
    for (const rel of await listTree(recordings)) {
      const name = path.basename(rel);
      if (name.startsWith('.')) continue;
      const id = name.split('.')[0];
      const s = await served(f.sim.url, f.sim.apiKey, id);
      expect(
        createHash('sha256')
          .update(fs.readFileSync(path.join(recordings, rel)))
          .digest('hex'),
      ).toBe(s.sha256);
    }
    const rerun = await runCli(['run', '-c', cfg, '-q'], { env: f.env });
    expect(rerun.code).toBe(0);
    const withRecording = f.sim.calls().filter((c) => c.recording_url !== null);
    const rows = await query<Row>(
      path.join(dir, 'k.duckdb'),
      'SELECT call_id, sha256, status FROM call_recordings ORDER BY call_id',
    );
    expect(rows.map((r) => r.status)).toEqual(withRecording.map(() => 'downloaded'));
    for (const r of rows) expect(r.sha256).toBe((await served(f.sim.url, f.sim.apiKey, r.call_id)).sha256);
    expect((await listTree(recordings)).filter((n) => n.includes('.part-'))).toEqual([]);
  });
});
