import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI, collect, pipelineYaml, runCli, writePipeline } from '../helpers/cli.js';
import { comparableCall, loadedCalls, query, savedWatermark } from '../helpers/duckdb.js';
import { sha256Of } from '../helpers/pii.js';
import { useSimulator } from '../helpers/simulator.js';

const TEXT = ['transcription', 'summary'];

describe('lookup --ids', () => {
  const f = useSimulator({ size: 400 });

  it('250 ids (and 3 unknown) make exactly 3 batch requests, update the changed calls, report the unknown, move no watermark', async () => {
    const db = f.path('l.duckdb');
    const cfg = writePipeline(
      f.dir,
      pipelineYaml({ include: TEXT, destination: { type: 'duckdb', path: db } }),
    );
    expect((await runCli(['run', '-c', cfg, '-q'], { env: f.env })).code).toBe(0);
    const watermark = await savedWatermark(db);
    const { changed } = f.sim.mutate({ change: 8 });
    const known = [...new Set([...changed, ...f.sim.calls().map((c) => c.id)])].slice(0, 250);
    const unknown = [
      '00000000-0000-4000-8000-000000000001',
      '00000000-0000-4000-8000-000000000002',
      '00000000-0000-4000-8000-000000000003',
    ];
    const idsFile = f.path('ids.txt');
    fs.writeFileSync(idsFile, `${known.join('\n')}\n\n${unknown.join('\r\n')}\n${known[0]}\n`);
    const before = f.sim.requestLog.length;
    const r = await runCli(['lookup', '--ids', idsFile, '-c', cfg, '--json', '-q'], { env: f.env });
    expect(r.code).toBe(0);
    const log = f.sim.requestLog.slice(before);
    expect(log.map((e) => `${e.method} ${e.path}`)).toEqual(Array(3).fill('POST /api/v1/calls/batch'));
    expect(log.map((e) => e.ids)).toEqual([100, 100, 53]);
    const summary = JSON.parse(r.stdout) as {
      streams: {
        mode: string;
        rows: number;
        counters: Record<string, number>;
        samples: Record<string, string[]>;
      }[];
    };
    expect(summary.streams[0]).toMatchObject({ mode: 'lookup', rows: 250, counters: { not_found: 3 } });
    expect(summary.streams[0].samples.not_found).toEqual(unknown);
    expect(r.stderr).toContain(`lookup: 3 id(s) not found in account default: ${unknown.join(', ')}`);
    // The changed calls are as the API has them now; everything is still exact.
    expect(await loadedCalls({ duckdb: db }, TEXT)).toEqual(
      f.sim.calls().map((c) => comparableCall(c, TEXT)),
    );
    const looked = await query<{ n: number }>(
      db,
      "SELECT count(*)::INTEGER AS n FROM calls WHERE _extract = 'lookup'",
    );
    expect(looked[0].n).toBe(250);
    expect(await savedWatermark(db)).toBe(watermark);
  });

  it('looked-up calls obey pii like synced ones (hashed caller number, dropped transcription)', async () => {
    const db = f.path('pii.duckdb');
    const salt = 'lookup-salt-123';
    const cfg = writePipeline(
      f.dir,
      pipelineYaml({
        include: TEXT,
        destination: { type: 'duckdb', path: db },
        streamExtra: `    pii: { caller_number: hash, transcription: drop }\n    pii_salt: ${salt}`,
      }),
      'pii.yaml',
    );
    const calls = f.sim.calls().slice(0, 30);
    const idsFile = f.path('pii-ids.txt');
    fs.writeFileSync(idsFile, calls.map((c) => c.id).join('\n'));
    const r = await runCli(['lookup', '--ids', idsFile, '-c', cfg, '--json', '-q'], { env: f.env });
    expect(r.code).toBe(0);
    const rows = await query<{ id: string; n: string | null; e164: string | null; t: string | null }>(
      db,
      'SELECT id, caller_number AS n, caller_number_e164 AS e164, transcription AS t FROM calls ORDER BY id',
    );
    const expected = [...calls]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((c) => ({
        id: c.id,
        n: c.caller_number === null ? null : sha256Of(salt, c.caller_number),
        e164: null,
        t: null,
      }));
    expect(rows).toEqual(expected);
  });

  it('reads ids from stdin', async () => {
    const db = f.path('stdin.duckdb');
    const cfg = writePipeline(
      f.dir,
      pipelineYaml({ destination: { type: 'duckdb', path: db } }),
      'stdin.yaml',
    );
    const ids = f.sim
      .calls()
      .slice(0, 5)
      .map((c) => c.id);
    const child = spawn(process.execPath, [CLI, 'lookup', '--ids', '-', '-c', cfg, '--json', '-q'], {
      env: { PATH: process.env.PATH ?? '', ...f.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin?.end(ids.join('\n'));
    const r = await collect(child);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).streams[0]).toMatchObject({ rows: 5 });
    expect((await query<{ id: string }>(db, 'SELECT id FROM calls ORDER BY id')).map((x) => x.id)).toEqual(
      [...ids].sort(),
    );
  });

  it('refuses bad lines with their numbers before anything happens (exit 2)', async () => {
    const cfg = writePipeline(
      f.dir,
      pipelineYaml({ destination: { type: 'duckdb', path: f.path('bad.duckdb') } }),
      'bad.yaml',
    );
    const idsFile = f.path('bad-ids.txt');
    fs.writeFileSync(idsFile, `${f.sim.calls()[0].id}\nnot-a-uuid\n\n'; DROP TABLE calls; --\n`);
    const before = f.sim.requestCount;
    const r = await runCli(['lookup', '--ids', idsFile, '-c', cfg], { env: f.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${idsFile}:2: not a call id (UUID): "not-a-uuid"`);
    expect(r.stderr).toContain(`${idsFile}:4: not a call id (UUID):`);
    expect(f.sim.requestCount).toBe(before);
    expect(fs.existsSync(f.path('bad.duckdb'))).toBe(false);
  });
});
