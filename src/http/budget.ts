import { setTimeout as delay } from 'node:timers/promises';
import { SyncError } from '../errors.js';

export interface RequestBudgetOptions {
  /** Requests in flight at once, across every caller sharing this budget. */
  concurrency: number;
  /** Sustained request rate; bursts of up to `concurrency` requests are allowed. Infinity = no rate limit. */
  requestsPerSecond: number;
  /** Injected clock and sleep so tests can drive time; default to the real ones. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface SlotWaiter {
  grant: () => void;
}

/**
 * One request budget for a whole run: every concurrent window acquires from it, so the API sees one client
 * with one rate, however the work is split. Slots are handed out first-come first-served, then a token from a
 * token bucket (burst = concurrency); a 429's Retry-After pauses every caller, since the server's limit is
 * per key, not per window.
 */
export class RequestBudget {
  readonly concurrency: number;
  readonly requestsPerSecond: number;
  private readonly now: () => number;
  private readonly sleepFn: (ms: number) => Promise<void>;

  private inFlight = 0;
  private readonly slotQueue: SlotWaiter[] = [];
  private tokens: number;
  private refilledAt: number;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  /** Token waiters queue behind each other so tokens go out in arrival order (and a fake clock stays sane). */
  private tokenTail: Promise<void> = Promise.resolve();
  private readonly counters = { waitedMs: 0, pauses: 0 };

  constructor(opts: RequestBudgetOptions) {
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) {
      throw new SyncError(
        'CS_CONFIG',
        `request budget: concurrency must be an integer >= 1, got ${opts.concurrency}`,
      );
    }
    if (!(opts.requestsPerSecond > 0)) {
      throw new SyncError(
        'CS_CONFIG',
        `request budget: requestsPerSecond must be > 0 (or Infinity), got ${opts.requestsPerSecond}`,
      );
    }
    this.concurrency = opts.concurrency;
    this.requestsPerSecond = opts.requestsPerSecond;
    this.now = opts.now ?? Date.now;
    this.sleepFn = opts.sleep ?? ((ms) => delay(ms));
    this.tokens = opts.concurrency;
    this.refilledAt = this.now();
  }

  /** Time callers spent waiting in acquire(), summed; and how many times pauseFor() was called. */
  get stats(): { readonly waitedMs: number; readonly pauses: number } {
    return { ...this.counters };
  }

  /**
   * Waits for a concurrency slot and a rate token; resolves to release(), which must be called exactly once
   * when the request (including its body) is done. Extra calls to release() are ignored.
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    const started = this.now();
    await this.takeSlot(signal);
    try {
      await this.takeToken(signal);
    } catch (err) {
      this.releaseSlot();
      throw err;
    }
    this.counters.waitedMs += Math.max(0, this.now() - started);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.releaseSlot();
    };
  }

  /** Nobody starts a request for `ms` from now (a later, longer pause wins; a shorter one never shortens it). */
  pauseFor(ms: number): void {
    this.counters.pauses += 1;
    const until = this.now() + Math.max(0, ms);
    if (until > this.pausedUntil) this.pausedUntil = until;
  }

  private takeSlot(signal: AbortSignal | undefined): Promise<void> {
    if (this.inFlight < this.concurrency && this.slotQueue.length === 0) {
      this.inFlight += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: SlotWaiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.slotQueue.indexOf(waiter);
        if (i >= 0) this.slotQueue.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.slotQueue.push(waiter);
    });
  }

  private releaseSlot(): void {
    const next = this.slotQueue.shift();
    // The slot passes straight to the next waiter, so inFlight never dips and lets a newcomer jump the queue.
    if (next) next.grant();
    else this.inFlight -= 1;
  }

  private takeToken(signal: AbortSignal | undefined): Promise<void> {
    const previous = this.tokenTail;
    let done!: () => void;
    this.tokenTail = new Promise<void>((resolve) => {
      done = resolve;
    });
    const mine = (async () => {
      await this.abortable(previous, signal);
      await this.waitForToken(signal);
    })();
    // An aborted waiter must not let the next one overtake a predecessor still waiting.
    mine.then(done, () => previous.then(done));
    return mine;
  }

  private async waitForToken(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const t = this.now();
      if (t < this.pausedUntil) {
        await this.abortable(this.sleepFn(this.pausedUntil - t), signal);
        continue;
      }
      if (!Number.isFinite(this.requestsPerSecond)) return;
      this.tokens = Math.min(
        this.concurrency,
        this.tokens + (Math.max(0, t - this.refilledAt) * this.requestsPerSecond) / 1000,
      );
      this.refilledAt = t;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.tokens) * 1000) / this.requestsPerSecond);
      await this.abortable(this.sleepFn(Math.max(1, waitMs)), signal);
    }
  }

  private abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) return p;
    signal.throwIfAborted();
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      p.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }
}
