import { describe, expect, it } from 'vitest';
import type { BaseStreamConfig } from '../../src/config/schema.js';
import { type Intent, intentOf, planStream, probeRequestOf } from '../../src/pipeline/plan.js';
import { EMPTY_STATE, type PassState, type StreamState } from '../../src/pipeline/state.js';
import { dateWindows } from '../../src/pipeline/windows.js';

const cfg: BaseStreamConfig = {
  sync: 'incremental',
  start_date: null,
  end_date: null,
  window_days: 'auto',
  lookback_minutes: 10,
  max_rejected: 0,
};
const probe = { serverDate: new Date('2026-03-30T10:00:00Z'), earliest: '2026-03-10' };
const pass = (over: Partial<PassState>): PassState => ({
  kind: 'backfill',
  id: 'old-run',
  serverDate: '2026-03-01T00:00:00.000Z',
  start: '2026-02-01',
  end: '2026-02-15',
  windows: ['2026-02-01..2026-02-08', '2026-02-08..2026-02-15'],
  done: [],
  ...over,
});
const withWatermark: StreamState = { ...EMPTY_STATE, watermark: '2026-03-30T10:00:00.000Z' };

describe('dateWindows', () => {
  it.each([
    ['2026-03-01', '2026-03-15', 7, ['2026-03-01..2026-03-08', '2026-03-08..2026-03-15']],
    ['2026-03-01', '2026-03-10', 7, ['2026-03-01..2026-03-08', '2026-03-08..2026-03-10']],
    [
      '2026-02-27',
      '2026-03-02',
      1,
      ['2026-02-27..2026-02-28', '2026-02-28..2026-03-01', '2026-03-01..2026-03-02'],
    ],
    ['2026-03-01', '2026-03-01', 7, []],
  ])('%s..%s by %i days', (start, end, days, keys) => {
    expect(dateWindows(start, end, days).map((w) => w.key)).toEqual(keys);
  });
});

describe('intentOf: what a run does, from config and state alone', () => {
  const range = { start: '2026-02-01', end: '2026-02-15' };
  const rangePass = pass({ kind: 'range' });
  const fullPass = pass({ kind: 'full', id: 'snap1' });
  it.each<[string, Parameters<typeof intentOf>[0], Intent]>([
    [
      'first run: a backfill over all history',
      { cfg, state: EMPTY_STATE },
      { kind: 'start', pass: 'backfill', bounds: { startDate: undefined, endDate: undefined } },
    ],
    [
      'start_date and end_date bound it',
      { cfg: { ...cfg, start_date: '2026-01-01', end_date: '2026-01-05' }, state: EMPTY_STATE },
      { kind: 'start', pass: 'backfill', bounds: { startDate: '2026-01-01', endDate: '2026-01-05' } },
    ],
    [
      'a watermark: the tail, updated_since = watermark - lookback',
      { cfg, state: withWatermark },
      {
        kind: 'tail',
        window: {
          key: 'updated_since 2026-03-30T09:50:00.000Z',
          updatedSince: '2026-03-30T09:50:00.000Z',
          startDate: undefined,
          endDate: undefined,
        },
      },
    ],
    [
      'an unfinished backfill resumes, even with a watermark',
      { cfg, state: { ...withWatermark, pass: pass({}) } },
      { kind: 'resume', pass: pass({}) },
    ],
    [
      'sync: full starts a snapshot even with a watermark',
      { cfg: { ...cfg, sync: 'full' }, state: withWatermark },
      { kind: 'start', pass: 'full', bounds: { startDate: undefined, endDate: undefined } },
    ],
    [
      'sync: full resumes its own pass',
      { cfg: { ...cfg, sync: 'full' }, state: { ...EMPTY_STATE, pass: fullPass } },
      { kind: 'resume', pass: fullPass },
    ],
    [
      '--full-refresh does not resume a backfill',
      { cfg, state: { ...EMPTY_STATE, pass: pass({}) }, fullRefresh: true },
      { kind: 'start', pass: 'full', bounds: { startDate: undefined, endDate: undefined } },
    ],
    [
      'an explicit range is its own pass',
      { cfg, state: withWatermark, range },
      { kind: 'start', pass: 'range', bounds: { startDate: '2026-02-01', endDate: '2026-02-15' } },
    ],
    [
      'and resumes by its key',
      { cfg, state: { ...withWatermark, ranges: { '2026-02-01..2026-02-15': rangePass } }, range },
      { kind: 'resume', pass: rangePass },
    ],
  ])('%s', (_name, input, intent) => {
    expect(intentOf(input)).toEqual(intent);
  });

  it('refuses a range that ends before it starts', () => {
    expect(() =>
      intentOf({ cfg, state: EMPTY_STATE, range: { start: '2026-02-15', end: '2026-02-01' } }),
    ).toThrow('--start-date 2026-02-15 must be before --end-date 2026-02-01');
  });

  it('tells the probe what to find out', () => {
    expect(probeRequestOf(intentOf({ cfg, state: withWatermark }))).toEqual({
      updatedSince: '2026-03-30T09:50:00.000Z',
    });
    expect(probeRequestOf(intentOf({ cfg, state: EMPTY_STATE, range: { start: 'a', end: 'b' } }))).toEqual({
      extent: { startDate: 'a', endDate: 'b' },
    });
    expect(probeRequestOf({ kind: 'resume', pass: pass({}) })).toEqual({});
  });
});

describe('planStream', () => {
  it('a new pass stores its windows and the provider’s clock', () => {
    const windows = dateWindows('2026-03-10', '2026-03-12', 1);
    const plan = planStream({
      intent: { kind: 'start', pass: 'backfill', bounds: {} },
      probe,
      runId: 'r1',
      layout: { start: '2026-03-10', end: '2026-03-12', windows },
    });
    expect(plan).toEqual({
      kind: 'pass',
      pass: {
        kind: 'backfill',
        id: 'r1',
        serverDate: '2026-03-30T10:00:00.000Z',
        start: '2026-03-10',
        end: '2026-03-12',
        windows: ['2026-03-10..2026-03-11', '2026-03-11..2026-03-12'],
        done: [],
      },
      windows,
      resumed: false,
    });
  });

  it('a resumed pass keeps its id and clock, and skips the committed windows', () => {
    const old = pass({ done: ['2026-02-01..2026-02-08'] });
    const plan = planStream({ intent: { kind: 'resume', pass: old }, probe, runId: 'r3' });
    expect(plan.kind === 'pass' && plan.pass).toBe(old);
    expect(plan.kind === 'pass' && plan.resumed).toBe(true);
    expect(plan.kind === 'pass' && plan.windows.map((w) => w.key)).toEqual(['2026-02-08..2026-02-15']);
  });

  it('a pass stored by an earlier version (regular windows of windowDays, no list) resumes as it was planned', () => {
    const { windows: _none, ...rest } = pass({});
    const old: PassState = { ...rest, end: '2026-02-20', windowDays: 7, done: ['2026-02-08..2026-02-15'] };
    const plan = planStream({ intent: { kind: 'resume', pass: old }, probe, runId: 'r3' });
    expect(plan.kind === 'pass' && plan.windows.map((w) => w.key)).toEqual([
      '2026-02-01..2026-02-08',
      '2026-02-15..2026-02-20',
    ]);
  });

  it('the tail is one window, at the provider’s clock', () => {
    const intent = intentOf({ cfg, state: withWatermark });
    const plan = planStream({ intent, probe: { serverDate: new Date('2026-03-31T00:00:00Z') }, runId: 'r2' });
    expect(plan).toEqual({
      kind: 'tail',
      serverDate: '2026-03-31T00:00:00.000Z',
      window: intent.kind === 'tail' && intent.window,
    });
  });
});
