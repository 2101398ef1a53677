import type { RecordBatch } from 'apache-arrow';
import { withColumns } from '../../../src/arrow/select.js';

/**
 * The batch with only `columns` (all of them: the batch itself), the columns carried.ts says a fetch carried.
 * Apart from carried.ts, which the list path's main thread loads, so that thread never loads apache-arrow.
 */
export function selectCarried(batch: RecordBatch, columns: readonly string[]): RecordBatch {
  return columns.length === batch.schema.fields.length ? batch : withColumns(batch, columns);
}
