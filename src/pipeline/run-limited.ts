import { SyncError } from '../errors.js';

/**
 * Runs `work` over items with at most `limit` in flight; the first failure stops new work and is rethrown.
 * `stopped` says that work failed elsewhere (a commit): no new item starts, and the caller reports why.
 */
export async function runLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
  signal: AbortSignal,
  stopped: () => boolean,
): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && !stopped() && !signal.aborted && next < items.length) {
      const i = next++;
      try {
        await work(items[i], i);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
  if (signal.aborted) throw new SyncError('CS_ABORTED', 'run aborted');
}
