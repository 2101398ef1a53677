import { describe, expect, it } from 'vitest';
import { LoadError } from '../../src/errors.js';
import type { CommitUnit, Destination } from '../../src/load/destination.js';
import {
  commitPieces,
  GroupCommitter,
  MAX_COMMIT_BYTES,
  MAX_GROUP_ROWS,
  takeGroup,
} from '../../src/pipeline/group-committer.js';
import { eventsSchema } from '../helpers/load-events.js';

const windows = (...rows: number[]) => rows.map((r, i) => ({ key: `w${i}`, rows: r }));

describe('takeGroup', () => {
  it('takes every waiting window while their rows fit', () => {
    const queue = windows(10, 20, 30);
    expect(takeGroup(queue, 100).map((w) => w.key)).toEqual(['w0', 'w1', 'w2']);
    expect(queue).toEqual([]);
  });

  it('stops before the window that would carry the group past the limit, and leaves the rest queued', () => {
    const queue = windows(40, 50, 20, 5);
    expect(takeGroup(queue, 100).map((w) => w.key)).toEqual(['w0', 'w1']);
    expect(queue.map((w) => w.key)).toEqual(['w2', 'w3']);
    expect(takeGroup(queue, 100).map((w) => w.key)).toEqual(['w2', 'w3']);
  });

  it('always takes the first window, even one larger than the limit', () => {
    const queue = windows(500, 1);
    expect(takeGroup(queue, 100).map((w) => w.key)).toEqual(['w0']);
    expect(queue.map((w) => w.key)).toEqual(['w1']);
  });

  it('defaults to MAX_GROUP_ROWS', () => {
    const queue = windows(MAX_GROUP_ROWS - 1, 1, 1);
    expect(takeGroup(queue).length).toBe(2);
  });
});

describe('commitPieces', () => {
  const files = (...bytes: number[]) => bytes.map((b, i) => ({ file: `f${i}`, bytes: b }));
  const names = (pieces: { file: string }[][]) => pieces.map((p) => p.map((f) => f.file));

  it('cuts files into consecutive pieces of at most maxBytes, in order', () => {
    expect(names(commitPieces(files(40, 50, 20, 5, 90), 100))).toEqual([['f0', 'f1'], ['f2', 'f3'], ['f4']]);
  });

  it('gives a file bigger than maxBytes a piece of its own', () => {
    expect(names(commitPieces(files(10, 300, 60), 100))).toEqual([['f0'], ['f1'], ['f2']]);
  });

  it('joins a last piece under half of maxBytes to the one before (a small transaction goes through the WAL)', () => {
    expect(names(commitPieces(files(60, 30, 20, 10), 100))).toEqual([['f0', 'f1', 'f2', 'f3']]);
    expect(names(commitPieces(files(90, 49), 100))).toEqual([['f0', 'f1']]);
    expect(names(commitPieces(files(90, 50), 100))).toEqual([['f0'], ['f1']]);
    expect(names(commitPieces(files(10, 300, 10), 100))).toEqual([['f0'], ['f1', 'f2']]);
  });

  it('does not join a last piece of other columns', () => {
    const mixed = [
      { file: 'f0', bytes: 90, columns: 'id,text' },
      { file: 'f1', bytes: 1, columns: 'id' },
    ];
    expect(names(commitPieces(mixed, 100))).toEqual([['f0'], ['f1']]);
  });

  it('starts a new piece where the files hold other columns (a missing column must not read as NULL)', () => {
    const mixed = [
      { file: 'f0', bytes: 1, columns: 'id,text' },
      { file: 'f1', bytes: 1, columns: 'id' },
      { file: 'f2', bytes: 1, columns: 'id' },
      { file: 'f3', bytes: 1, columns: 'id,text' },
    ];
    expect(names(commitPieces(mixed, 100))).toEqual([['f0'], ['f1', 'f2'], ['f3']]);
  });

  it('gives one empty piece for no files, so the checkpoint still commits', () => {
    expect(commitPieces([], 100)).toEqual([[]]);
  });

  it('defaults to MAX_COMMIT_BYTES', () => {
    expect(commitPieces(files(MAX_COMMIT_BYTES, MAX_COMMIT_BYTES / 2)).length).toBe(2);
    expect(commitPieces(files(MAX_COMMIT_BYTES, 1)).length).toBe(1);
  });
});

/** A destination that records what each commit carried; `gate` holds a commit until released. */
class RecordingDestination {
  readonly units: CommitUnit[] = [];
  failOn: ((unit: CommitUnit) => boolean) | undefined;
  private gates: (() => void)[] = [];
  holding = false;

  async commit(unit: CommitUnit): Promise<{ rows: number }> {
    if (this.holding) await new Promise<void>((r) => this.gates.push(r));
    if (this.failOn?.(unit)) throw new LoadError('disk on fire');
    this.units.push(unit);
    return { rows: unit.files.length * 10 };
  }

  release(): void {
    this.holding = false;
    for (const g of this.gates.splice(0)) g();
  }
}

const staged = (name: string, rows: number, bytes = 1, columns = 'id,text') => ({
  seq: 1,
  file: name,
  rows,
  bytes,
  columns,
});
const reject = (raw: string) => ({
  stream: 's',
  run_id: 'r',
  account: 'a',
  source: 'src',
  line: null,
  raw,
  reason: 'bad',
});

function committer(dest: RecordingDestination, opts: { maxCommitBytes?: number; done?: string[] } = {}) {
  return new GroupCommitter(
    {
      destination: dest as unknown as Destination,
      table: eventsSchema,
      key: { pipeline: 'p', stream: 's', account: 'a' },
      checkpoint: (done) => ({ done: [...done].sort() }),
      maxCommitBytes: opts.maxCommitBytes,
    },
    opts.done,
  );
}

describe('GroupCommitter', () => {
  it('commits one window with its rejects and the checkpoint of every window done so far', async () => {
    const dest = new RecordingDestination();
    const c = committer(dest, { done: ['w0'] });
    await c.commit('w1', [staged('a', 5), staged('b', 5)], [reject('x')]);
    expect(dest.units).toHaveLength(1);
    expect(dest.units[0]).toMatchObject({
      files: ['a', 'b'],
      rejects: [reject('x')],
      state: { key: { pipeline: 'p', stream: 's', account: 'a' }, value: { done: ['w0', 'w1'] } },
    });
    expect(c.rows).toBe(20);
  });

  it('commits windows that wait behind a running commit together, in one transaction', async () => {
    const dest = new RecordingDestination();
    const c = committer(dest);
    dest.holding = true;
    const first = c.commit('w1', [staged('a', 1)], []);
    const second = c.commit('w2', [staged('b', 1)], [reject('y')]);
    const third = c.commit('w3', [staged('c', 1)], []);
    dest.release();
    await Promise.all([first, second, third]);
    expect(dest.units.map((u) => u.files)).toEqual([['a'], ['b', 'c']]);
    expect(dest.units[1].state?.value).toEqual({ done: ['w1', 'w2', 'w3'] });
    expect(dest.units[1].rejects).toEqual([reject('y')]);
  });

  it('commits a big group in pieces: rejects and the checkpoint only with the last piece', async () => {
    const dest = new RecordingDestination();
    const c = committer(dest, { maxCommitBytes: 100 });
    await c.commit('w1', [staged('a', 1, 60), staged('b', 1, 60), staged('c', 1, 30)], [reject('z')]);
    expect(dest.units.map((u) => u.files)).toEqual([['a'], ['b', 'c']]);
    expect(dest.units[0]).toMatchObject({ rejects: [], state: undefined });
    expect(dest.units[1]).toMatchObject({ rejects: [reject('z')], state: { value: { done: ['w1'] } } });
  });

  it('fails every window of a failed group, and leaves them out of the next checkpoint', async () => {
    const dest = new RecordingDestination();
    const c = committer(dest);
    dest.failOn = (u) => u.files.includes('bad');
    await expect(c.commit('w1', [staged('bad', 1)], [])).rejects.toThrow('disk on fire');
    await c.commit('w2', [staged('good', 1)], []);
    expect(dest.units).toHaveLength(1);
    expect(dest.units[0].state?.value).toEqual({ done: ['w2'] });
    expect(c.rows).toBe(10);
  });
});
