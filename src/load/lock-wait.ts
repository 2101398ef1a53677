import { setTimeout as delay } from 'node:timers/promises';
import type { OpenOptions } from './destination.js';

const RETRY_MS = 500;

/**
 * The wait for another run's lock, the same for every destination: without `wait` the first refusal is
 * final; with it, the lock is tried again every 500 ms until `waitTimeoutMs`, the caller is told once that it
 * is waiting (a scheduler's log shows why nothing happens), and an abort (SIGTERM, SIGINT) ends the wait.
 */
export class LockWait {
  private readonly started = Date.now();
  private told = false;

  constructor(private readonly opts: OpenOptions) {}

  /**
   * The lock is held by someone else: throws `refusal(waitedMs)` when not waiting any longer, else returns
   * after the pause before the next try. `holder` describes who holds it, for the one message.
   */
  async held(holder: string, refusal: (waitedMs: number | undefined) => Error): Promise<void> {
    const waited = Date.now() - this.started;
    const { wait, waitTimeoutMs, signal, onWait } = this.opts;
    if (!wait || (waitTimeoutMs !== undefined && waited + RETRY_MS > waitTimeoutMs)) {
      throw refusal(wait ? waited : undefined);
    }
    if (!this.told) {
      this.told = true;
      onWait?.(holder);
    }
    try {
      await delay(RETRY_MS, undefined, { signal });
    } catch (err) {
      throw signal?.aborted ? (signal.reason ?? err) : err;
    }
  }
}
