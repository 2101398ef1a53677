import { describe, expect, it } from 'vitest';
import type { RequestLogEntry, RunningSimulator } from '../../connectors/callscaler/simulator/index.js';
import type { RunEvent } from '../../src/pipeline/events.js';
import type { PassState } from '../../src/pipeline/state.js';
import { MIN_WINDOW_ROWS, RECOUNT_ABOVE } from '../../src/pipeline/window-sizing.js';
import { addDays, dateWindows, daysBetween } from '../../src/pipeline/windows.js';
import { pipelineYaml } from '../helpers/cli.js';
import { comparableCall, loadedCalls, query } from '../helpers/duckdb.js';
import { runYaml } from '../helpers/in-process.js';
import { useSimulator } from '../helpers/simulator.js';

const INCLUDE = ['transcription', 'summary'];
const DAY = 86_400_000;

async function expectExact(sim: RunningSimulator, db: string) {
  const expected = sim.calls().map((c) => comparableCall(c, INCLUDE));
  expect(await loadedCalls({ duckdb: db }, INCLUDE)).toEqual(expected);
}

/** The created dates of the simulator's first and last call, and the day after the last. */
function historyOf(sim: RunningSimulator) {
  const dates = sim
    .calls()
    .map((c) => c.created_at.slice(0, 10))
    .sort();
  return { first: dates[0], last: dates[dates.length - 1], after: addDays(dates[dates.length - 1], 1) };
}

const windowRequests = (log: readonly RequestLogEntry[]) => log.filter((r) => r.query.limit !== '1');
const rangeOf = (r: RequestLogEntry) => `${r.query.start_date}..${r.query.end_date}`;

describe('a history that ended four months ago', () => {
  // A year of calls ending 120 days before today: fixed weekly windows up to today would be ~70 windows,
  // the last 17 of them empty.
  const fixture = useSimulator({
    seed: 41,
    size: 1000,
    anchor: new Date(Date.now() - 120 * DAY).toISOString(),
    days: 365,
  });

  it('window_days auto: one window where the calls are, four requests; calls that come during the run arrive with the next', async () => {
    const { sim, env } = fixture;
    const db = fixture.path('auto.duckdb');
    const yaml = pipelineYaml({ destination: { type: 'duckdb', path: db } });
    const { first, after } = historyOf(sim);
    const before = sim.requestLog.length;
    // Once the pass is planned (after the probe saw the newest call), calls arrive and others change.
    let arrived: string[] = [];
    const summary = await runYaml(yaml, env, {
      emit: (e: RunEvent) => {
        if (e.type === 'stream-start') arrived = sim.mutate({ add: 5, change: 5 }).added;
      },
    });
    const log = sim.requestLog.slice(before);
    expect(log.map((r) => [r.query.limit ?? '', r.query.sort_order ?? '', r.query.start_date ?? ''])).toEqual(
      [
        ['1', 'asc', ''],
        ['1', 'desc', ''],
        ['500', 'asc', first],
        ['500', 'asc', first],
      ],
    );
    expect(windowRequests(log).map(rangeOf)).toEqual([`${first}..${after}`, `${first}..${after}`]);
    expect(summary.streams[0]).toMatchObject({ mode: 'backfill', windows: 1, rows: 1000 });
    // The new calls are today, far past the pass's window: not loaded yet.
    const [loaded] = await query<{ n: number }>(
      db,
      `SELECT count(*)::INTEGER AS n FROM calls WHERE id IN (${arrived.map((id) => `'${id}'`).join(', ')})`,
    );
    expect(loaded.n).toBe(0);

    // The next run's updated_since (the pass's clock, minus lookback) asks for them, and for the changes.
    const next = await runYaml(yaml, env);
    expect(next.streams[0]).toMatchObject({ mode: 'incremental', windows: 1 });
    await expectExact(sim, db);
  });

  it('window_days 7 set: weekly windows from the first call to the day after the last, none past it', async () => {
    const { sim, env } = fixture;
    const db = fixture.path('weekly.duckdb');
    const yaml = pipelineYaml({
      destination: { type: 'duckdb', path: db },
      sourceExtra: '  requests_per_second: 1000',
      streamExtra: '    window_days: 7',
    });
    const { first, after } = historyOf(sim);
    const before = sim.requestLog.length;
    const summary = await runYaml(yaml, env);
    const windows = new Set(windowRequests(sim.requestLog.slice(before)).map(rangeOf));
    const expected = Math.ceil(daysBetween(first, after) / 7);
    expect(summary.streams[0].windows).toBe(expected);
    expect(windows.size).toBe(expected);
    expect([...windows].sort()[0]).toBe(`${first}..${addDays(first, 7)}`);
    expect([...windows].sort().at(-1)?.endsWith(`..${after}`)).toBe(true);
    await expectExact(sim, db);
  });
});

describe('window_days auto on a larger history', () => {
  const fixture = useSimulator({ seed: 42, size: 8000 });

  it('counts where the calls are, then cuts about two windows per slot of concurrency; exact', async () => {
    const { sim, env } = fixture;
    const db = fixture.path('counted.duckdb');
    const yaml = pipelineYaml({
      destination: { type: 'duckdb', path: db },
      sourceExtra: '  concurrency: 4\n  requests_per_second: 1000',
    });
    const before = sim.requestLog.length;
    const summary = await runYaml(yaml, env);
    const log = sim.requestLog.slice(before);
    // 8000 calls, 4 slots: 8 windows of about 1000 (the smallest made for concurrency).
    const counts = log.filter((r) => r.query.limit === '1' && r.query.start_date);
    expect(counts.length).toBe(8);
    const windows = [...new Set(windowRequests(log).map(rangeOf))];
    expect(windows.length).toBe(summary.streams[0].windows);
    expect(windows.length).toBeGreaterThanOrEqual(6);
    const calls = sim.calls();
    for (const w of windows) {
      const [start, end] = w.split('..');
      const inside = calls.filter((c) => c.created_at >= start && c.created_at < end).length;
      expect(inside).toBeGreaterThan(0);
      expect(inside).toBeLessThanOrEqual(MIN_WINDOW_ROWS * RECOUNT_ABOVE);
    }
    await expectExact(sim, db);
  });
});

describe('a backfill stored by the previous version (weekly windows, no list) resumes as it was planned', () => {
  const fixture = useSimulator({ seed: 43, size: 1500 });

  it('skips its committed windows, fetches the others, ends exact', async () => {
    const { sim, env } = fixture;
    const db = fixture.path('old-state.duckdb');
    const settings = '  concurrency: 1\n  max_retries: 0\n  requests_per_second: 1000';
    const weekly = pipelineYaml({
      destination: { type: 'duckdb', path: db },
      sourceExtra: settings,
      streamExtra: '    window_days: 7',
    });
    // Requests 1 and 2 are the probe, then a request a window: the 4th window fails, 3 are committed.
    sim.setFaults({ failAtRequests: [sim.requestCount + 6], failStatus: 500 });
    await expect(runYaml(weekly, env)).rejects.toThrow(/HTTP 500/);
    sim.resetFaults();

    // Rewrite the pass as the previous version stored it: windowDays, an end at the provider's tomorrow.
    const [row] = await query<{ value: string }>(db, 'SELECT value FROM _sync_state');
    const state = JSON.parse(row.value) as { pass: PassState };
    const { windows: _list, ...pass } = state.pass;
    const tomorrow = addDays(new Date().toISOString().slice(0, 10), 1);
    const old = { ...state, pass: { ...pass, end: tomorrow, windowDays: 7 } };
    expect(old.pass.done).toHaveLength(3);
    await query(db, `UPDATE _sync_state SET value = '${JSON.stringify(old)}'`);

    // This version's default is auto; the stored pass still decides its windows.
    const before = sim.requestLog.length;
    const summary = await runYaml(pipelineYaml({ destination: { type: 'duckdb', path: db } }), env);
    expect(summary.streams[0]).toMatchObject({ mode: 'backfill', windows_skipped: 3 });
    const fetched = new Set(windowRequests(sim.requestLog.slice(before)).map(rangeOf));
    const all = dateWindows(old.pass.start, tomorrow, 7).map((w) => w.key);
    expect([...fetched].sort()).toEqual(all.filter((w) => !old.pass.done.includes(w)));
    await expectExact(sim, db);
    const [after] = await query<{ pass: string | null; watermark: string | null }>(
      db,
      "SELECT json_extract(value, '$.pass')::VARCHAR AS pass, json_extract_string(value, '$.watermark') AS watermark FROM _sync_state",
    );
    expect(after.pass).toBe('null');
    expect(after.watermark).toBe(old.pass.serverDate);
  });
});
