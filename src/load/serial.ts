/**
 * Runs async operations one at a time, in call order. A destination has one connection and one lock; windows
 * fetched concurrently must not interleave their transactions on it.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
