import { describe, expect, it } from 'vitest';
import {
  commitPieces,
  MAX_COMMIT_BYTES,
  MAX_GROUP_ROWS,
  takeGroup,
} from '../../src/pipeline/group-committer.js';

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
    expect(names(commitPieces(files(10, 300, 10), 100))).toEqual([['f0'], ['f1'], ['f2']]);
  });

  it('gives one empty piece for no files, so the checkpoint still commits', () => {
    expect(commitPieces([], 100)).toEqual([[]]);
  });

  it('defaults to MAX_COMMIT_BYTES', () => {
    expect(commitPieces(files(MAX_COMMIT_BYTES, 1)).length).toBe(2);
  });
});
