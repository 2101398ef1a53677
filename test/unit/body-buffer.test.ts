import { describe, expect, it } from 'vitest';
import { BodyBuffer } from '../../connectors/callscaler/extract/body-buffer.js';

/** A body of `n` chunks of 10 bytes; `pulled` says how many have been asked for. */
function body(n: number, failAt?: number) {
  const state = { pulled: 0 };
  const iterable: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => ({
      async next() {
        state.pulled++;
        if (state.pulled === failAt) throw new Error('connection reset');
        if (state.pulled > n) return { done: true, value: undefined };
        return { done: false, value: Buffer.alloc(10, state.pulled) };
      },
    }),
  };
  return { iterable, state };
}

/** Lets the reads already under way (promises that resolve at once here) complete. */
const settle = () => new Promise((r) => setImmediate(r));

describe('BodyBuffer', () => {
  it('reads ahead by itself up to its limit, then waits until bytes are taken', async () => {
    const { iterable, state } = body(100);
    const b = new BodyBuffer(iterable, 35);
    await settle();
    expect(b.length).toBe(40); // reads while it holds less than the limit
    expect(state.pulled).toBe(4);
    expect(Buffer.concat(b.take(15))).toEqual(Buffer.concat([Buffer.alloc(10, 1), Buffer.alloc(5, 2)]));
    await settle();
    expect(b.length).toBe(35);
    expect(state.pulled).toBe(5);
  });

  it('fill reads beyond the limit when asked for more, and ends at the end of the body', async () => {
    const { iterable } = body(6);
    const b = new BodyBuffer(iterable, 10);
    await b.fill(45);
    expect(b.length).toBe(50);
    expect(b.done).toBe(false);
    await b.fill(1000);
    expect([b.length, b.done, b.drained]).toEqual([60, true, false]);
    b.take();
    expect(b.drained).toBe(true);
  });

  it('a failure ends reading and is kept, with the bytes that came before it', async () => {
    const { iterable } = body(10, 3);
    const b = new BodyBuffer(iterable, 1000);
    await b.fill(1000);
    expect(b.failed).toBe(true);
    expect((b.failure as Error).message).toBe('connection reset');
    expect(b.length).toBe(20);
  });
});
