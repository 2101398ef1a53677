import { parentPort } from 'node:worker_threads';
import { serializeError } from './errors.js';
import type { TaskMessage, TaskReply } from './protocol.js';

/** What a task handler returns: its result, and the buffers to transfer (not copy) back with it. */
export interface TaskResult<R> {
  readonly value: R;
  readonly transfer?: readonly ArrayBuffer[];
}

/**
 * The worker side of a pool: runs `handler` for each task posted to this thread. `part` sends a result ahead
 * of the end (e.g. a page's cursor before its rows are encoded), so the caller can go on meanwhile.
 */
export function serveTasks<P, R>(
  handler: (payload: P, part: (value: unknown) => void) => Promise<TaskResult<R>>,
) {
  const port = parentPort;
  if (!port) throw new Error('serveTasks: not running in a worker thread');
  port.on('message', async (msg: TaskMessage<P>) => {
    const reply = (r: TaskReply, transfer: readonly ArrayBuffer[] = []) => port.postMessage(r, [...transfer]);
    try {
      const { value, transfer } = await handler(msg.payload, (part) =>
        reply({ id: msg.id, kind: 'part', value: part }),
      );
      reply({ id: msg.id, kind: 'done', value }, transfer);
    } catch (err) {
      reply({ id: msg.id, kind: 'error', error: serializeError(err) });
    }
  });
}
