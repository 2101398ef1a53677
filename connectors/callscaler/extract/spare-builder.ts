import { BatchBuilder } from '../../../src/arrow/batch-builder.js';
import { callsSchema } from '../schema.js';

/**
 * A decode thread decodes one page or piece at a time. Its batch builder's buffers, grown to a batch's size by
 * the first one, serve the next ones instead of growing again from a few kB each time (~1 MB of copies per text
 * column of a 500-call page).
 */
let spare: BatchBuilder | undefined;

/** Runs `fn` with the thread's builder (empty), or a new one if it is in use; the builder is left empty. */
export function withSpareBuilder<T>(fn: (builder: BatchBuilder) => T): T {
  const builder = spare ?? new BatchBuilder(callsSchema);
  spare = undefined;
  const release = () => {
    // After a failure, the rows of what failed are dropped.
    if (builder.length > 0) builder.finish();
    spare = builder;
  };
  let result: T;
  try {
    result = fn(builder);
  } catch (err) {
    release();
    throw err;
  }
  if (result instanceof Promise) return result.finally(release) as T;
  release();
  return result;
}
