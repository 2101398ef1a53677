import { BatchBuilder } from '../../../src/arrow/batch-builder.js';
import type { ExtractChunk, StreamReject } from '../../../src/connector/stream.js';
import { selectCarried } from '../normalize/carried-batch.js';
import { QualityTally } from '../normalize/quality.js';
import { normalizeCall, type RowMeta } from '../normalize/record.js';
import { compileRowSettings } from '../normalize/settings.js';
import { callsSchema } from '../schema.js';

/**
 * Normalizes raw API records into one record batch; bad records become rejects with their raw text (personal
 * fields masked as in a row). The AI checks' counts and warnings go with the chunk.
 */
export function recordsToChunk(
  records: readonly unknown[],
  meta: RowMeta,
  source: string,
  total?: number,
  columns?: readonly string[],
  builder = new BatchBuilder(callsSchema),
): ExtractChunk {
  const rejects: StreamReject[] = [];
  const tally = new QualityTally();
  const { pii } = compileRowSettings(meta.settings);
  for (let i = 0; i < records.length; i++) {
    const result = normalizeCall(records[i], meta, tally);
    if (result.ok) builder.append(result.row);
    else rejects.push({ source, line: null, raw: pii.rawText(records[i]), reason: result.reason });
  }
  const batch = builder.finish();
  return {
    batch: batch && columns ? selectCarried(batch, columns) : batch,
    rejects,
    received: records.length,
    total,
    ...tally.take(),
  };
}
