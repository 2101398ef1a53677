import { describe, expect, it } from 'vitest';
import { pipelineYaml } from '../helpers/cli.js';
import { comparableCall, loadedCalls, query } from '../helpers/duckdb.js';
import { runYaml } from '../helpers/in-process.js';
import { sha256Of } from '../helpers/pii.js';
import { useSimulator } from '../helpers/simulator.js';

const TEXT = ['transcription', 'summary'];

/** Calls by window (the created-date ranges the run's exports asked for), for counting the lookups each needs. */
function windowsOf(
  calls: { created_at: string; has_transcription: boolean }[],
  log: readonly { path: string; query: Record<string, string> }[],
) {
  const ranges = log.filter((r) => r.path.endsWith('/calls/export')).map((r) => r.query);
  return ranges.map(({ start_date, end_date }) => {
    const inside = calls.filter((c) => c.created_at >= start_date && c.created_at < end_date);
    return { all: inside.length, withText: inside.filter((c) => c.has_transcription).length };
  });
}

describe('text fill: an export without text columns still ends with every transcription and summary', () => {
  const f = useSimulator({ size: 700, faults: { csv: { textColumns: false } } });

  it('fills them through POST /calls/batch, ceil(ids/100) requests per window, in the same commit', async () => {
    const db = f.path('fill.duckdb');
    const start = '2026-07-01';
    const yaml = pipelineYaml({
      extract: 'export',
      include: TEXT,
      destination: { type: 'duckdb', path: db },
      streamExtra: `    window_days: 30\n    start_date: ${start}`,
    });
    const before = f.sim.requestLog.length;
    const summary = await runYaml(yaml, f.env);
    const log = f.sim.requestLog.slice(before);
    const batches = log.filter((r) => r.method === 'POST' && r.path.endsWith('/calls/batch'));

    // Every transcription and summary equal to the simulator's.
    const inRange = f.sim.calls().filter((c) => c.created_at >= start);
    expect(await loadedCalls({ duckdb: db }, TEXT)).toEqual(inRange.map((c) => comparableCall(c, TEXT)));
    // Summary is asked for: every call is looked up, 100 ids a request, one partial per window at most.
    const windows = windowsOf(inRange, log);
    expect(windows.reduce((n, w) => n + w.all, 0)).toBe(inRange.length);
    const expected = windows.reduce((n, w) => n + Math.ceil(w.all / 100), 0);
    expect(batches).toHaveLength(expected);
    expect(batches.every((b) => (b.ids ?? 0) <= 100)).toBe(true);
    expect(batches.reduce((n, b) => n + (b.ids ?? 0), 0)).toBe(inRange.length);
    expect(summary.streams[0].counters).toMatchObject({ text_filled: inRange.length });
    const [run] = await query<{ filled: number }>(
      db,
      "SELECT CAST(json_extract(details, '$.streams[0].counters.text_filled') AS INTEGER) AS filled FROM _sync_runs",
    );
    expect(run.filled).toBe(inRange.length);
  });

  it('filled text obeys pii: a dropped transcription is not looked up and stays NULL, a hashed summary is stored hashed', async () => {
    const db = f.path('fill-pii.duckdb');
    const salt = 'fill-test-salt-1';
    const yaml = pipelineYaml({
      extract: 'export',
      include: TEXT,
      destination: { type: 'duckdb', path: db },
      streamExtra: `    pii: { transcription: drop, summary: hash }\n    pii_salt: ${salt}`,
    });
    const before = f.sim.requestLog.length;
    await runYaml(yaml, f.env);
    const batches = f.sim.requestLog.slice(before).filter((r) => r.path.endsWith('/calls/batch'));
    const calls = f.sim.calls();
    // Summary is hashed, so every call is still looked up; the transcription is not wanted at all.
    expect(batches.reduce((n, b) => n + (b.ids ?? 0), 0)).toBe(calls.length);
    const rows = await query<{ id: string; transcription: string | null; summary: string | null }>(
      db,
      'SELECT id, transcription, summary FROM calls ORDER BY id',
    );
    expect(rows).toEqual(
      calls.map((c) => ({
        id: c.id,
        transcription: null,
        summary: c.summary === null ? null : sha256Of(salt, c.summary),
      })),
    );
  });

  it('with only transcription asked for, looks up only the calls that have one', async () => {
    const db = f.path('transcription.duckdb');
    const start = '2026-07-01';
    const yaml = pipelineYaml({
      extract: 'export',
      include: ['transcription'],
      destination: { type: 'duckdb', path: db },
      streamExtra: `    window_days: 30\n    start_date: ${start}`,
    });
    const before = f.sim.requestLog.length;
    await runYaml(yaml, f.env);
    const log = f.sim.requestLog.slice(before);
    const batches = log.filter((r) => r.path.endsWith('/calls/batch'));
    const inRange = f.sim.calls().filter((c) => c.created_at >= start);
    const expected = windowsOf(inRange, log).reduce((n, w) => n + Math.ceil(w.withText / 100), 0);
    expect(batches).toHaveLength(expected);
    expect(batches.reduce((n, b) => n + (b.ids ?? 0), 0)).toBe(
      inRange.filter((c) => c.has_transcription).length,
    );
    expect(await loadedCalls({ duckdb: db }, ['transcription'])).toEqual(
      inRange.map((c) => comparableCall(c, ['transcription'])),
    );
  });

  it('counts ids the batch reply leaves out as not found (reply shape {data: [...]})', async () => {
    f.sim.setFaults({ batchShape: 'array' });
    try {
      const db = f.path('shape.duckdb');
      const yaml = pipelineYaml({
        extract: 'export',
        include: TEXT,
        destination: { type: 'parquet', dir: f.path('shape-ds') },
        streamExtra: '    window_days: 60\n    start_date: 2026-09-01',
      });
      const summary = await runYaml(yaml, f.env);
      const inRange = f.sim.calls().filter((c) => c.created_at >= '2026-09-01');
      expect(summary.streams[0].counters).toMatchObject({ text_filled: inRange.length });
      expect(summary.streams[0].counters.text_not_found ?? 0).toBe(0);
      expect(await loadedCalls({ parquet: f.path('shape-ds') }, TEXT)).toEqual(
        inRange.map((c) => comparableCall(c, TEXT)),
      );
      void db;
    } finally {
      f.sim.resetFaults();
      f.sim.setFaults({ csv: { textColumns: false } });
    }
  });
});

describe.each(['duckdb', 'parquet'] as const)('column-aware merge (%s)', (kind) => {
  const f = useSimulator({ size: 400, faults: { csv: { textColumns: false } } });

  it('an export range reload after a list run keeps the transcriptions; a column the source sent as null is null', async () => {
    const destination =
      kind === 'duckdb'
        ? ({ type: 'duckdb', path: f.path('m.duckdb') } as const)
        : ({ type: 'parquet', dir: f.path('m-ds') } as const);
    const from = kind === 'duckdb' ? { duckdb: f.path('m.duckdb') } : { parquet: f.path('m-ds') };
    await runYaml(pipelineYaml({ extract: 'list', include: TEXT, destination }), f.env);
    const all = f.sim.calls();
    expect(await loadedCalls(from, TEXT)).toEqual(all.map((c) => comparableCall(c, TEXT)));

    // No text asked for and none in the export: the stored texts stay.
    const exportYaml = pipelineYaml({ extract: 'export', include: [], destination });
    const summary = await runYaml(exportYaml, f.env, { range: { start: '2026-08-01', end: '2026-10-01' } });
    expect(summary.streams[0].rows).toBeGreaterThan(50);
    expect(await loadedCalls(from, TEXT)).toEqual(all.map((c) => comparableCall(c, TEXT)));
    const reloaded = await query<{ n: number }>(
      kind === 'duckdb' ? f.path('m.duckdb') : ':memory:',
      `SELECT count(*)::INTEGER AS n FROM ${kind === 'duckdb' ? 'calls' : `read_parquet('${f.path('m-ds')}/calls/**/*.parquet')`} WHERE _extract = 'export'`,
    );
    expect(reloaded[0].n).toBe(summary.streams[0].rows);

    // The API's word wins: a call whose AI analysis is gone again is stored with NULLs.
    const changed = f.sim.mutate({ change: 5 }).changed;
    await runYaml(pipelineYaml({ extract: 'list', include: TEXT, destination }), f.env);
    expect(await loadedCalls(from, TEXT)).toEqual(f.sim.calls().map((c) => comparableCall(c, TEXT)));
    expect(changed.length).toBe(5);
  });
});
