import { describe, expect, it } from 'vitest';
import type { BaseStreamConfig } from '../../src/config/schema.js';
import type { DateRange, Window } from '../../src/connector/stream.js';
import { MAX_SURVEY_ROUNDS, newPassLayout, survey } from '../../src/pipeline/survey.js';
import { RECOUNT_ABOVE, windowTarget } from '../../src/pipeline/window-sizing.js';
import { addDays } from '../../src/pipeline/windows.js';

const cfg: BaseStreamConfig = {
  sync: 'incremental',
  start_date: null,
  end_date: null,
  window_days: 'auto',
  lookback_minutes: 10,
  max_rejected: 0,
};
const serverDate = new Date('2026-11-28T07:00:00Z');

/** A history: `perDay(i)` calls on day i from `start`, as a sorted list of their dates. */
function history(start: string, days: number, perDay: (i: number) => number): string[] {
  const out: string[] = [];
  for (let i = 0; i < days; i++) for (let n = Math.round(perDay(i)); n > 0; n--) out.push(addDays(start, i));
  return out;
}

/** The API over a history: the probe of a new pass, and counts that are recorded. */
function api(dates: readonly string[]) {
  const asked: DateRange[] = [];
  const inRange = (r: DateRange) =>
    dates.filter((d) => (!r.startDate || d >= r.startDate) && (!r.endDate || d < r.endDate)).length;
  return {
    asked,
    probe: { serverDate, earliest: dates[0], latest: dates[dates.length - 1], total: dates.length },
    count: async (r: DateRange) => {
      asked.push(r);
      return inRange(r);
    },
    inWindow: (w: Window) => inRange(w),
  };
}

/** Every call is in exactly one window: windows in order, none overlapping, all calls inside one. */
function expectCovers(windows: readonly Window[], dates: readonly string[]) {
  for (let i = 1; i < windows.length; i++) {
    expect(windows[i].startDate! >= windows[i - 1].endDate!).toBe(true);
  }
  for (const d of new Set(dates)) {
    expect(windows.filter((w) => d >= w.startDate! && d < w.endDate!)).toHaveLength(1);
  }
}

describe('newPassLayout with window_days: auto', () => {
  it('calls spread evenly: one round of counts, windows near the target', async () => {
    const dates = history('2026-07-04', 120, () => 167); // ~20k calls, the latency benchmark's shape
    const a = api(dates);
    const layout = await newPassLayout({ cfg, bounds: {}, probe: a.probe, concurrency: 8, count: a.count });
    const target = windowTarget(dates.length, 8);
    expect(layout.windows).toHaveLength(16); // two per slot of concurrency 8
    expect(a.asked).toHaveLength(16);
    for (const w of layout.windows) expect(a.inWindow(w)).toBeLessThanOrEqual(target * 1.1);
    expectCovers(layout.windows, dates);
    expect(layout).toMatchObject({ start: '2026-07-04', end: '2026-11-01' });
  });

  it('a growing account: the dense end is counted again and cut finer, the sparse start joined', async () => {
    const dates = history('2025-11-28', 365, (i) => 40 * 1.015 ** i); // ~630k calls, 200× more a day at the end
    const a = api(dates);
    const layout = await newPassLayout({ cfg, bounds: {}, probe: a.probe, concurrency: 4, count: a.count });
    const target = windowTarget(dates.length, 4);
    const sizes = layout.windows.map((w) => a.inWindow(w));
    expect(a.asked.length).toBeGreaterThan(Math.ceil(dates.length / target)); // a second round
    expect(Math.max(...sizes)).toBeLessThanOrEqual(target * RECOUNT_ABOVE);
    // The sparse first months make few windows, not the even share of days a plain cut would give them.
    const firstHalf = layout.windows.filter((w) => w.endDate! <= '2026-05-29');
    expect(firstHalf.length).toBeLessThan(layout.windows.length / 4);
    expect(sizes.reduce((x, y) => x + y, 0)).toBe(dates.length);
    expectCovers(layout.windows, dates);
  });

  it('a pause of months inside the history gets no window of its own', async () => {
    const dates = [
      ...history('2025-01-01', 60, () => 50),
      ...history('2025-03-02', 240, () => 0),
      ...history('2025-10-28', 30, () => 100),
    ];
    const a = api(dates);
    const layout = await newPassLayout({ cfg, bounds: {}, probe: a.probe, concurrency: 4, count: a.count });
    for (const w of layout.windows) expect(a.inWindow(w)).toBeGreaterThan(0);
    expectCovers(layout.windows, dates);
  });

  it('a small history is one window and costs no count', async () => {
    const dates = history('2026-01-01', 200, (i) => (i % 3 === 0 ? 10 : 0));
    const a = api(dates);
    const layout = await newPassLayout({ cfg, bounds: {}, probe: a.probe, concurrency: 4, count: a.count });
    expect(layout.windows.map((w) => w.key)).toEqual(['2026-01-01..2026-07-19']);
    expect(a.asked).toEqual([]);
  });

  it('without counts (the stream cannot, or the API stops telling) the total is shared out by days', async () => {
    const dates = history('2026-07-04', 120, () => 167);
    const a = api(dates);
    const without = await newPassLayout({ cfg, bounds: {}, probe: a.probe, concurrency: 8 });
    const unknown = await newPassLayout({
      cfg,
      bounds: {},
      probe: a.probe,
      concurrency: 8,
      count: async () => undefined,
    });
    expect(without.windows).toHaveLength(16);
    expect(unknown.windows).toEqual(without.windows);
    expectCovers(without.windows, dates);
  });

  it('no total from the probe: windows of 7 days over where the records are', async () => {
    const layout = await newPassLayout({
      cfg,
      bounds: {},
      probe: { serverDate, earliest: '2026-07-01', latest: '2026-07-20' },
      concurrency: 4,
    });
    expect(layout.windows.map((w) => w.key)).toEqual([
      '2026-07-01..2026-07-08',
      '2026-07-08..2026-07-15',
      '2026-07-15..2026-07-21',
    ]);
  });
});

describe('newPassLayout with window_days set', () => {
  it('windows of that many days, from the first record to the day after the last, without counts', async () => {
    const a = api(history('2026-01-01', 20, () => 5000));
    const layout = await newPassLayout({
      cfg: { ...cfg, window_days: 7 },
      bounds: { startDate: '2025-06-01' },
      probe: a.probe,
      concurrency: 4,
      count: a.count,
    });
    expect(layout.windows.map((w) => w.key)).toEqual([
      '2026-01-01..2026-01-08',
      '2026-01-08..2026-01-15',
      '2026-01-15..2026-01-21',
    ]);
    expect(layout).toMatchObject({ start: '2025-06-01', end: '2026-01-21' });
    expect(a.asked).toEqual([]);
  });

  it('no records: no windows', async () => {
    for (const window_days of [7, 'auto'] as const) {
      const layout = await newPassLayout({
        cfg: { ...cfg, window_days },
        bounds: { startDate: '2026-03-01', endDate: '2026-04-01' },
        probe: { serverDate, total: 0 },
        concurrency: 4,
      });
      expect(layout).toEqual({ start: '2026-03-01', end: '2026-04-01', windows: [] });
    }
  });
});

describe('survey', () => {
  it('a dense day is narrowed down to itself', async () => {
    const dates = history('2026-01-01', 1000, (i) => (i === 999 ? 100_000 : 0));
    const a = api(dates);
    const segments = await survey(
      { start: '2026-01-01', end: '2028-09-27', rows: 100_000, counted: true },
      1000,
      a.count,
    );
    // 100 parts of 10 days, then the dense one in 10 days; a single day is not cut again.
    expect(a.asked).toHaveLength(110);
    expect(segments?.filter((s) => s.rows > 0)).toEqual([
      { start: '2028-09-26', end: '2028-09-27', rows: 100_000, counted: true },
    ]);
  });

  it(`stops after ${MAX_SURVEY_ROUNDS} rounds`, async () => {
    // 4 calls on the last of 4096 days, 1 a window: each round cuts the dense part in 4 (1024, 256, 64 days).
    const dates = history('2020-01-01', 4096, (i) => (i === 4095 ? 4 : 0));
    const a = api(dates);
    const end = addDays('2020-01-01', 4096);
    const segments = await survey({ start: '2020-01-01', end, rows: 4, counted: true }, 1, a.count);
    expect(a.asked).toHaveLength(4 * MAX_SURVEY_ROUNDS);
    expect(segments?.at(-1)).toEqual({ start: addDays(end, -64), end, rows: 4, counted: true });
  });

  it('an unknown count gives up the survey', async () => {
    let n = 0;
    const count = async () => (++n === 3 ? undefined : 10);
    expect(
      await survey({ start: '2026-01-01', end: '2026-02-01', rows: 100, counted: true }, 10, count),
    ).toBe(undefined);
  });
});
