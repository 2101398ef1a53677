import { DataError } from '../../../src/errors.js';
import type { ExtractChunk, StreamContext, Window } from '../../../src/pipeline/stream.js';
import { CALLS_PATH, MAX_PAGE_SIZE } from '../api/endpoints.js';
import { parseListPage } from '../api/list-envelope.js';
import { type Query, windowQuery } from '../api/query.js';
import type { CallsStreamConfig } from '../config.js';
import { recordsToChunk } from './to-batch.js';

/**
 * The list path: cursor pagination over GET /calls, oldest first. The next page is requested before
 * the current one is normalized, so the network and the CPU overlap.
 */
export async function* extractList(
  ctx: StreamContext,
  cfg: CallsStreamConfig,
  window: Window,
): AsyncGenerator<ExtractChunk> {
  const base: Query = {
    ...windowQuery(cfg, window),
    limit: Math.min(ctx.pageSize, MAX_PAGE_SIZE),
    sort_by: 'date',
    sort_order: 'asc',
  };
  const meta = { runId: ctx.runId, syncedAtMs: ctx.syncedAtMs, extract: 'list' as const };
  const seen = new Set<string>();
  const fetchPage = (cursor: string | undefined) =>
    ctx.http.getJson(CALLS_PATH, cursor ? { ...base, cursor } : base, ctx.signal);

  let pending: ReturnType<typeof fetchPage> | undefined = fetchPage(undefined);
  try {
    for (let page = 1; pending; page++) {
      const where = `GET ${CALLS_PATH} window ${window.key} page ${page}`;
      const body = parseListPage((await pending).body, where);
      pending = undefined;
      if (body.hasMore) {
        if (!body.nextCursor) throw new DataError(`${where}: has_more is true but next_cursor is empty`);
        if (seen.has(body.nextCursor))
          throw new DataError(`${where}: next_cursor repeats an earlier page's cursor`);
        seen.add(body.nextCursor);
        pending = fetchPage(body.nextCursor);
      }
      yield recordsToChunk(body.calls, meta, where, page === 1 ? body.total : undefined);
    }
  } finally {
    // Stopped early (an error, or the consumer returned): the prefetched page is not wanted.
    pending?.catch(() => undefined);
  }
}
