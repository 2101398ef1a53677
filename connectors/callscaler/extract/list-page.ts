import * as arrow from 'apache-arrow';
import { parseJsonBody } from '../../../src/http/body.js';
import { toParquet } from '../../../src/load/staging.js';
import type { StreamReject } from '../../../src/pipeline/stream.js';
import type { TaskResult } from '../../../src/workers/serve.js';
import { transferable } from '../../../src/workers/transfer.js';
import { parseListPage } from '../api/list-envelope.js';
import type { RowMeta } from '../normalize/record.js';
import { recordsToChunk } from './to-batch.js';

/** One list page to decode, as posted to a worker thread. */
export interface ListPageTask {
  /** The raw response body (transferred, not copied). */
  readonly body: Uint8Array;
  /** `GET /calls` as error messages name it. */
  readonly endpoint: string;
  /** `GET /calls window W page P`: where a bad envelope or record came from. */
  readonly where: string;
  readonly secrets: readonly string[];
  readonly meta: RowMeta;
}

/** Posted as soon as the envelope is read, so the next page can be requested while the rows are encoded. */
export interface ListPageHead {
  readonly hasMore: boolean;
  readonly nextCursor: string | null;
  readonly total: number | undefined;
}

/** The page's rows, as one staging Parquet file, and its rejects. */
export interface ListPageRows {
  readonly parquet: Uint8Array | null;
  readonly rows: number;
  readonly rejects: readonly StreamReject[];
  readonly received: number;
}

/**
 * Body bytes -> JSON -> envelope (posted as the head) -> normalized rows -> Arrow -> Parquet. All the CPU of a
 * list page, run on a worker thread; the same errors as on the main thread (they come back as their class).
 */
export async function decodeListPage(
  t: ListPageTask,
  head: (h: ListPageHead) => void,
): Promise<TaskResult<ListPageRows>> {
  const buf = Buffer.from(t.body.buffer, t.body.byteOffset, t.body.byteLength);
  const page = parseListPage(parseJsonBody(buf, t.endpoint, t.secrets), t.where);
  head({ hasMore: page.hasMore, nextCursor: page.nextCursor, total: page.total });
  const chunk = recordsToChunk(page.calls, t.meta, t.where);
  const rows = chunk.batch?.numRows ?? 0;
  const parquet = chunk.batch && rows > 0 ? transferable(toParquet(new arrow.Table(chunk.batch))) : null;
  return {
    value: { parquet, rows, rejects: chunk.rejects, received: chunk.received },
    transfer: parquet ? [parquet.buffer] : [],
  };
}
