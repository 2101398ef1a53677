import { describe, expect, it } from 'vitest';
import type { DateRange, ProbeResult } from '../../src/connector/stream.js';
import {
  dataExtent,
  estimateParts,
  evenParts,
  MIN_WINDOW_ROWS,
  type Segment,
  TARGET_WINDOW_ROWS,
  windowsOf,
  windowTarget,
} from '../../src/pipeline/window-sizing.js';

const clock = new Date('2026-11-28T07:00:00Z');

describe('windowTarget: rows per window', () => {
  it.each([
    // total, concurrency, target
    [1_000, 4, MIN_WINDOW_ROWS],
    [20_000, 8, 1_250], // 16 windows: two for each of 8 slots
    [20_000, 1, 10_000],
    [200_000, 4, TARGET_WINDOW_ROWS],
    [10_000_000, 4, TARGET_WINDOW_ROWS],
    [0, 4, MIN_WINDOW_ROWS],
  ])('%i records at concurrency %i: %i', (total, concurrency, target) => {
    expect(windowTarget(total, concurrency)).toBe(target);
  });
});

describe('dataExtent: the days a new pass covers', () => {
  const probe = (p: Omit<ProbeResult, 'serverDate'>): ProbeResult => ({ serverDate: clock, ...p });
  it.each<[string, DateRange, ProbeResult, { start: string; end: string } | null]>([
    [
      'a history that ended months ago ends the day after its last record',
      {},
      probe({ earliest: '2025-01-10', latest: '2026-07-27', total: 1000 }),
      { start: '2025-01-10', end: '2026-07-28' },
    ],
    [
      'records up to today: up to the provider’s tomorrow, as before',
      {},
      probe({ earliest: '2026-11-01', latest: '2026-11-28', total: 10 }),
      { start: '2026-11-01', end: '2026-11-29' },
    ],
    [
      'records dated after tomorrow are covered when the end is open',
      {},
      probe({ earliest: '2026-11-01', latest: '2026-12-02', total: 10 }),
      { start: '2026-11-01', end: '2026-12-03' },
    ],
    [
      'configured bounds narrowed to the records in them',
      { startDate: '2020-01-01', endDate: '2026-01-01' },
      probe({ earliest: '2024-05-02', latest: '2025-03-01', total: 10 }),
      { start: '2024-05-02', end: '2025-03-02' },
    ],
    [
      'a configured end before the last record stays',
      { startDate: '2024-01-01', endDate: '2024-02-01' },
      probe({ earliest: '2024-01-05', latest: '2024-01-31', total: 10 }),
      { start: '2024-01-05', end: '2024-02-01' },
    ],
    ['no records: no days', { startDate: '2024-01-01' }, probe({ total: 0 }), null],
    [
      'a probe that cannot tell: the configured bounds up to tomorrow',
      { startDate: '2026-11-01' },
      probe({}),
      { start: '2026-11-01', end: '2026-11-29' },
    ],
    [
      'only the oldest record known: from it up to tomorrow',
      {},
      probe({ earliest: '2026-10-01' }),
      { start: '2026-10-01', end: '2026-11-29' },
    ],
    ['a start after tomorrow: no days', { startDate: '2027-01-01' }, probe({}), null],
  ])('%s', (_name, bounds, p, extent) => {
    expect(dataExtent(bounds, p)).toEqual(extent);
  });
});

describe('evenParts and estimateParts', () => {
  it.each([
    ['2026-01-01', '2026-01-11', 2, ['2026-01-01..2026-01-06', '2026-01-06..2026-01-11']],
    [
      '2026-01-01',
      '2026-01-11',
      3,
      ['2026-01-01..2026-01-04', '2026-01-04..2026-01-07', '2026-01-07..2026-01-11'],
    ],
    // never more parts than days
    ['2026-01-01', '2026-01-03', 5, ['2026-01-01..2026-01-02', '2026-01-02..2026-01-03']],
    ['2026-01-01', '2026-01-02', 4, ['2026-01-01..2026-01-02']],
    ['2026-02-27', '2026-03-02', 1, ['2026-02-27..2026-03-02']],
  ])('%s..%s in %i', (start, end, parts, keys) => {
    expect(evenParts({ start, end }, parts).map((p) => `${p.start}..${p.end}`)).toEqual(keys);
  });

  it('shares rows out by days, as estimates', () => {
    expect(estimateParts({ start: '2026-01-01', end: '2026-01-11', rows: 1000, counted: true }, 3)).toEqual([
      { start: '2026-01-01', end: '2026-01-04', rows: 300, counted: false },
      { start: '2026-01-04', end: '2026-01-07', rows: 300, counted: false },
      { start: '2026-01-07', end: '2026-01-11', rows: 400, counted: false },
    ]);
  });
});

describe('windowsOf: windows from counted or estimated segments', () => {
  const seg = (start: string, end: string, rows: number, counted = true): Segment => ({
    start,
    end,
    rows,
    counted,
  });
  it.each<[string, Segment[], number, string[]]>([
    [
      'segments near the target each make a window',
      [seg('2026-01-01', '2026-01-05', 900), seg('2026-01-05', '2026-01-09', 800)],
      1000,
      ['2026-01-01..2026-01-05', '2026-01-05..2026-01-09'],
    ],
    [
      'a counted empty segment makes none; small neighbours join across it',
      [
        seg('2026-01-01', '2026-01-05', 300),
        seg('2026-01-05', '2026-03-01', 0),
        seg('2026-03-01', '2026-03-05', 600),
        seg('2026-03-05', '2026-03-09', 700),
      ],
      1000,
      ['2026-01-01..2026-03-05', '2026-03-05..2026-03-09'],
    ],
    [
      'an estimate of none is not trusted: it stays',
      [seg('2026-01-01', '2026-01-05', 0, false), seg('2026-01-05', '2026-01-09', 500, false)],
      1000,
      ['2026-01-01..2026-01-09'],
    ],
    [
      'a segment far above the target is cut evenly by days',
      [seg('2026-01-01', '2026-01-09', 4000)],
      1000,
      [
        '2026-01-01..2026-01-03',
        '2026-01-03..2026-01-05',
        '2026-01-05..2026-01-07',
        '2026-01-07..2026-01-09',
      ],
    ],
    [
      'up to twice the target it stays whole',
      [seg('2026-01-01', '2026-01-09', 2000)],
      1000,
      ['2026-01-01..2026-01-09'],
    ],
    [
      'one dense day cannot be cut',
      [seg('2026-01-01', '2026-01-02', 50_000)],
      1000,
      ['2026-01-01..2026-01-02'],
    ],
    ['nothing at all', [seg('2026-01-01', '2026-02-01', 0)], 1000, []],
  ])('%s', (_name, segments, target, keys) => {
    expect(windowsOf(segments, target).map((w) => w.key)).toEqual(keys);
  });

  it('windows carry their dates', () => {
    expect(windowsOf([seg('2026-01-01', '2026-01-05', 10)], 1000)).toEqual([
      { key: '2026-01-01..2026-01-05', startDate: '2026-01-01', endDate: '2026-01-05' },
    ]);
  });
});
