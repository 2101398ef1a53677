import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { parseState, passWindows } from '../../src/pipeline/state.js';

const where = 'sync state of callscaler/calls/default';
const base = { kind: 'backfill', id: 'r1', serverDate: '2026-03-01T00:00:00.000Z', done: [] };

describe('the windows of a stored pass', () => {
  it('a pass of this version lists its windows', () => {
    const state = parseState(
      {
        version: 1,
        watermark: null,
        pass: {
          ...base,
          start: '2026-01-01',
          end: '2026-03-01',
          windows: ['2026-01-01..2026-01-20', '2026-02-10..2026-03-01'],
        },
      },
      where,
    );
    expect(passWindows(state.pass!)).toEqual([
      { key: '2026-01-01..2026-01-20', startDate: '2026-01-01', endDate: '2026-01-20' },
      { key: '2026-02-10..2026-03-01', startDate: '2026-02-10', endDate: '2026-03-01' },
    ]);
  });

  it('a pass stored by an earlier version has regular windows of windowDays', () => {
    const state = parseState(
      {
        version: 1,
        watermark: null,
        pass: null,
        ranges: {
          '2026-01-01..2026-01-10': {
            ...base,
            kind: 'range',
            start: '2026-01-01',
            end: '2026-01-10',
            windowDays: 7,
          },
        },
      },
      where,
    );
    expect(passWindows(state.ranges['2026-01-01..2026-01-10']).map((w) => w.key)).toEqual([
      '2026-01-01..2026-01-08',
      '2026-01-08..2026-01-10',
    ]);
  });

  it.each([
    [
      'neither windows nor windowDays',
      {},
      `${where}: backfill pass 2026-01-01..2026-01-10: it has neither a list of windows nor a whole number of windowDays`,
    ],
    [
      'windowDays 0',
      { windowDays: 0 },
      `${where}: backfill pass 2026-01-01..2026-01-10: it has neither a list of windows nor a whole number of windowDays`,
    ],
    [
      'windows not a list',
      { windows: 'all' },
      `${where}: backfill pass 2026-01-01..2026-01-10: windows is not a list`,
    ],
    [
      'a window that is not one',
      { windows: ['2026-01-01..2026-01-05', '2026-01-05'] },
      `${where}: backfill pass 2026-01-01..2026-01-10: "2026-01-05" is not a window (YYYY-MM-DD..YYYY-MM-DD)`,
    ],
    [
      'a window that ends before it starts',
      { windows: ['2026-01-05..2026-01-01'] },
      `${where}: backfill pass 2026-01-01..2026-01-10: "2026-01-05..2026-01-01" is not a window (YYYY-MM-DD..YYYY-MM-DD)`,
    ],
  ])('a damaged pass is refused when the state is read: %s', (_name, layout, message) => {
    const value = {
      version: 1,
      watermark: null,
      pass: { ...base, start: '2026-01-01', end: '2026-01-10', ...layout },
    };
    expect(() => parseState(value, where)).toThrow(DataError);
    expect(() => parseState(value, where)).toThrow(message);
  });
});
