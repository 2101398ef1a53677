import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { RequestBudget } from '../../src/http/budget.js';

/** A clock that only moves when the budget sleeps: time becomes an exact, checkable quantity. */
function fakeClock(start = 0) {
  const clock = { now: start, sleeps: [] as number[] };
  return {
    clock,
    now: () => clock.now,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.now += ms;
    },
  };
}

/** Resolves whether a promise has settled yet, after letting pending callbacks run. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await tick();
  await tick();
  return done;
}

describe('RequestBudget', () => {
  test('rate: a burst of `concurrency` tokens, then one token per 1/rate seconds', async () => {
    const { clock, now, sleep } = fakeClock(1000);
    const budget = new RequestBudget({ concurrency: 2, requestsPerSecond: 10, now, sleep });
    const startedAt: number[] = [];
    for (let i = 0; i < 6; i++) {
      const release = await budget.acquire();
      startedAt.push(clock.now - 1000);
      release();
    }
    expect(startedAt).toEqual([0, 0, 100, 200, 300, 400]);
    expect(budget.stats.waitedMs).toBe(400);
  });

  test('concurrency: never more than `concurrency` holders; waiters are served first come, first served', async () => {
    const budget = new RequestBudget({ concurrency: 2, requestsPerSecond: Number.POSITIVE_INFINITY });
    const a = await budget.acquire();
    const b = await budget.acquire();
    const order: string[] = [];
    const queued = (name: string) =>
      budget.acquire().then((release) => {
        order.push(name);
        return release;
      });
    const c = queued('c');
    const d = queued('d');
    expect(await settled(c)).toBe(false);

    a();
    a(); // a second release of the same slot must not free another one
    expect(await settled(c)).toBe(true);
    expect(await settled(d)).toBe(false);

    b();
    expect(await settled(d)).toBe(true);
    expect(order).toEqual(['c', 'd']);
    (await c)();
    (await d)();
  });

  test('an aborted waiter leaves the queue and does not leak a slot', async () => {
    const budget = new RequestBudget({ concurrency: 1, requestsPerSecond: Number.POSITIVE_INFINITY });
    const held = await budget.acquire();
    const ac = new AbortController();
    const waiting = budget.acquire(ac.signal);
    const reason = new Error('stop waiting');
    ac.abort(reason);
    await expect(waiting).rejects.toBe(reason);

    held();
    const again = budget.acquire();
    expect(await settled(again)).toBe(true);
    (await again)();
  });

  test('pauseFor holds back every caller until the pause ends', async () => {
    const { clock, now, sleep } = fakeClock(0);
    const budget = new RequestBudget({ concurrency: 4, requestsPerSecond: 1000, now, sleep });
    budget.pauseFor(500);
    const times: number[] = [];
    await Promise.all(
      [1, 2, 3].map(async () => {
        const release = await budget.acquire();
        times.push(clock.now);
        release();
      }),
    );
    expect(times).toEqual([500, 500, 500]);
    expect(budget.stats.pauses).toBe(1);
  });

  test('a longer pause extends the current one; a shorter one never shortens it', async () => {
    const { clock, now, sleep } = fakeClock(0);
    const budget = new RequestBudget({
      concurrency: 1,
      requestsPerSecond: Number.POSITIVE_INFINITY,
      now,
      sleep,
    });
    budget.pauseFor(300);
    budget.pauseFor(100);
    (await budget.acquire())();
    expect(clock.now).toBe(300);

    budget.pauseFor(200);
    budget.pauseFor(700);
    (await budget.acquire())();
    expect(clock.now).toBe(1000);
    expect(budget.stats.pauses).toBe(4);
  });

  test('a pause set while callers wait for a token still applies to them', async () => {
    const { clock, now, sleep } = fakeClock(0);
    const budget = new RequestBudget({ concurrency: 1, requestsPerSecond: 1, now, sleep });
    (await budget.acquire())(); // spends the only burst token: the next caller must wait 1000 ms
    budget.pauseFor(5000);
    (await budget.acquire())();
    expect(clock.now).toBe(5000);
  });

  test.each([
    [{ concurrency: 0, requestsPerSecond: 1 }, /concurrency must be an integer >= 1, got 0/],
    [{ concurrency: 1.5, requestsPerSecond: 1 }, /concurrency must be an integer >= 1, got 1.5/],
    [{ concurrency: 1, requestsPerSecond: 0 }, /requestsPerSecond must be > 0 \(or Infinity\), got 0/],
    [{ concurrency: 1, requestsPerSecond: Number.NaN }, /requestsPerSecond must be > 0/],
  ])('rejects %j', (opts, message) => {
    expect(() => new RequestBudget(opts)).toThrow(message);
  });
});
