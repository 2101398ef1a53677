import { describe, expect, it } from 'vitest';
import type { BaseStreamConfig } from '../../src/config/schema.js';
import { planStream } from '../../src/pipeline/plan.js';
import { EMPTY_STATE, type PassState, type StreamState } from '../../src/pipeline/state.js';
import { dateWindows } from '../../src/pipeline/windows.js';

const cfg: BaseStreamConfig = {
  sync: 'incremental',
  start_date: null,
  end_date: null,
  window_days: 7,
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
  windowDays: 7,
  done: [],
  ...over,
});

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

describe('planStream', () => {
  it('first incremental run: a backfill from the oldest call to the provider’s tomorrow', () => {
    const plan = planStream({ cfg, state: EMPTY_STATE, probe, runId: 'r1' });
    expect(plan.kind).toBe('pass');
    if (plan.kind !== 'pass') return;
    expect(plan.pass).toMatchObject({ kind: 'backfill', id: 'r1', start: '2026-03-10', end: '2026-03-31' });
    expect(plan.pass.serverDate).toBe('2026-03-30T10:00:00.000Z');
    expect(plan.windows.map((w) => w.key)).toEqual([
      '2026-03-10..2026-03-17',
      '2026-03-17..2026-03-24',
      '2026-03-24..2026-03-31',
    ]);
    expect(plan.resumed).toBe(false);
  });

  it('start_date and end_date bound the history', () => {
    const plan = planStream({
      cfg: { ...cfg, start_date: '2026-01-01', end_date: '2026-01-05' },
      state: EMPTY_STATE,
      probe,
      runId: 'r1',
    });
    expect(plan.kind === 'pass' && plan.windows.map((w) => w.key)).toEqual(['2026-01-01..2026-01-05']);
  });

  it('later runs ask for updated_since = watermark - lookback, from the provider’s clock', () => {
    const state: StreamState = { ...EMPTY_STATE, watermark: '2026-03-30T10:00:00.000Z' };
    const plan = planStream({
      cfg,
      state,
      probe: { serverDate: new Date('2026-03-31T00:00:00Z') },
      runId: 'r2',
    });
    expect(plan).toEqual({
      kind: 'tail',
      serverDate: '2026-03-31T00:00:00.000Z',
      window: {
        key: 'updated_since 2026-03-30T09:50:00.000Z',
        updatedSince: '2026-03-30T09:50:00.000Z',
        startDate: undefined,
        endDate: undefined,
      },
    });
  });

  it('an unfinished backfill resumes: same pass, committed windows skipped', () => {
    const state: StreamState = { ...EMPTY_STATE, pass: pass({ done: ['2026-02-01..2026-02-08'] }) };
    const plan = planStream({ cfg, state, probe, runId: 'r3' });
    expect(plan.kind).toBe('pass');
    if (plan.kind !== 'pass') return;
    expect(plan.resumed).toBe(true);
    expect(plan.pass.id).toBe('old-run');
    expect(plan.pass.serverDate).toBe('2026-03-01T00:00:00.000Z');
    expect(plan.windows.map((w) => w.key)).toEqual(['2026-02-08..2026-02-15']);
  });

  it('full sync starts a snapshot pass even with a watermark, and resumes its own pass', () => {
    const withWatermark: StreamState = { ...EMPTY_STATE, watermark: '2026-03-29T00:00:00.000Z' };
    const fresh = planStream({ cfg: { ...cfg, sync: 'full' }, state: withWatermark, probe, runId: 'r4' });
    expect(fresh.kind === 'pass' && fresh.pass.kind).toBe('full');
    const resuming: StreamState = { ...EMPTY_STATE, pass: pass({ kind: 'full', id: 'snap1', done: [] }) };
    const resumed = planStream({ cfg: { ...cfg, sync: 'full' }, state: resuming, probe, runId: 'r5' });
    expect(resumed.kind === 'pass' && resumed.pass.id).toBe('snap1');
  });

  it('an explicit range is its own pass and resumes by range key', () => {
    const range = { start: '2026-02-01', end: '2026-02-15' };
    const state: StreamState = {
      ...EMPTY_STATE,
      watermark: '2026-03-29T00:00:00.000Z',
      ranges: { '2026-02-01..2026-02-15': pass({ kind: 'range', done: ['2026-02-01..2026-02-08'] }) },
    };
    const plan = planStream({ cfg, state, probe, runId: 'r6', range });
    expect(plan.kind === 'pass' && plan.windows.map((w) => w.key)).toEqual(['2026-02-08..2026-02-15']);
    expect(() =>
      planStream({ cfg, state, probe, runId: 'r6', range: { start: '2026-02-15', end: '2026-02-01' } }),
    ).toThrow('--start-date 2026-02-15 must be before --end-date 2026-02-01');
  });
});
