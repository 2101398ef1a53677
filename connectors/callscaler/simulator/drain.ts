import type { ServerResponse } from 'node:http';

/** Resolves when `res` may be written again ('drain') or is gone ('close'): backpressure for big bodies. */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
