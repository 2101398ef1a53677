/** A worker module for the pool's tests: each task names what the thread should do. */
import { DataError, SyncError } from '../../src/errors.js';
import { BodyFormatError } from '../../src/http/errors.js';
import { serveTasks } from '../../src/workers/serve.js';

export type TestTask =
  | { op: 'sum'; bytes: Uint8Array }
  | { op: 'part-then-double'; n: number }
  | { op: 'data-error' }
  | { op: 'body-error' }
  | { op: 'subclass-error' }
  | { op: 'die' }
  | { op: 'thread-id' };

/** A connector's own error class, which the pool does not know. */
class CutOff extends SyncError {
  constructor(readonly line: number) {
    super('CS_CUT_OFF', `line ${line}: cut off`, { context: { line } });
  }
}

serveTasks(async (t: TestTask, part) => {
  switch (t.op) {
    case 'sum':
      return { value: t.bytes.reduce((a, b) => a + b, 0) };
    case 'part-then-double':
      part({ first: t.n });
      return { value: t.n * 2 };
    case 'data-error':
      throw new DataError('GET /calls window w page 2: data.calls is not an array', { context: { page: 2 } });
    case 'body-error':
      throw new BodyFormatError('GET /calls', {
        reason: 'Unexpected end',
        byteOffset: 7,
        preview: '{"a',
        bytes: 9,
      });
    case 'subclass-error':
      throw new CutOff(12);
    case 'die':
      process.exit(7);
      break;
    case 'thread-id': {
      const { threadId } = await import('node:worker_threads');
      return { value: threadId };
    }
  }
  throw new Error('unknown op');
});
