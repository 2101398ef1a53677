import { BatchBuilder } from '../../../src/arrow/batch-builder.js';
import { rawText } from '../../../src/connector/reject.js';
import type { ExtractChunk, StreamReject } from '../../../src/connector/stream.js';
import { selectCarried } from '../normalize/carried.js';
import { normalizeCall, type RowMeta } from '../normalize/record.js';
import { callsSchema } from '../schema.js';

/** Normalizes raw API records into one record batch; bad records become rejects with their raw text. */
export function recordsToChunk(
  records: readonly unknown[],
  meta: RowMeta,
  source: string,
  total?: number,
  columns?: readonly string[],
): ExtractChunk {
  const builder = new BatchBuilder(callsSchema);
  const rejects: StreamReject[] = [];
  for (let i = 0; i < records.length; i++) {
    const result = normalizeCall(records[i], meta);
    if (result.ok) builder.append(result.row);
    else rejects.push({ source, line: null, raw: rawText(records[i]), reason: result.reason });
  }
  const batch = builder.finish();
  return {
    batch: batch && columns ? selectCarried(batch, columns) : batch,
    rejects,
    received: records.length,
    total,
  };
}
