import type { ExtractChunk, Window, WindowContext } from '../../../src/connector/stream.js';
import { DataError } from '../../../src/errors.js';
import { transferable } from '../../../src/workers/transfer.js';
import { CALLS_PATH, MAX_PAGE_SIZE } from '../api/endpoints.js';
import { type Query, windowQuery } from '../api/query.js';
import type { CallsStreamConfig } from '../config.js';
import { carriedColumns, listFields } from '../normalize/carried.js';
import { rowSettingsOf } from '../normalize/settings.js';
import type { ListPageHead, ListPageTask } from './list-decode.js';

/** The module that decodes a page on a worker thread (see list-decode.ts). */
export const LIST_DECODER = new URL('./list-decode.js', import.meta.url);

/**
 * The list path: cursor pagination over GET /calls, oldest first. Each page's bytes go to a worker thread that
 * parses and normalizes them (list-decode.ts); it reports the envelope first, so the next page is requested
 * while the rows are still being built, and this thread is left with the network and the loader.
 */
export async function* extractList(
  ctx: WindowContext,
  cfg: CallsStreamConfig,
  window: Window,
  pageSize: number,
): AsyncGenerator<ExtractChunk> {
  const base: Query = {
    ...windowQuery(cfg, window),
    limit: Math.min(pageSize, MAX_PAGE_SIZE),
    sort_by: 'date',
    sort_order: 'asc',
  };
  const meta = {
    account: ctx.account,
    runId: ctx.runId,
    syncedAtMs: ctx.syncedAtMs,
    extract: 'list' as const,
    settings: rowSettingsOf(cfg),
  };
  const seen = new Set<string>();
  const columns = carriedColumns(listFields(cfg.include));
  const fetchPage = (cursor: string | undefined) =>
    ctx.http.getBytes(CALLS_PATH, cursor ? { ...base, cursor } : base, ctx.signal);

  let pending: ReturnType<typeof fetchPage> | undefined = fetchPage(undefined);
  try {
    for (let page = 1; pending; page++) {
      const where = `GET ${CALLS_PATH} window ${window.key} page ${page}`;
      const res = await pending;
      const body = transferable(res.body);
      pending = undefined;
      const task: ListPageTask = {
        body,
        endpoint: res.endpoint,
        where,
        window: window.key,
        secrets: ctx.http.secrets,
        meta,
        columns,
      };
      const decoding = ctx.decode<ListPageTask, ListPageHead>(LIST_DECODER, task, [body.buffer]);
      const head = await decoding.head;
      if (head.hasMore) {
        const context = { window: window.key };
        if (!head.nextCursor)
          throw new DataError(`${where}: has_more is true but next_cursor is empty`, { context });
        if (seen.has(head.nextCursor))
          throw new DataError(`${where}: next_cursor repeats an earlier page's cursor`, { context });
        seen.add(head.nextCursor);
        pending = fetchPage(head.nextCursor);
      }
      const chunk = await decoding.chunk;
      yield page === 1 ? { ...chunk, total: head.total } : chunk;
    }
  } finally {
    // Stopped early (an error, or the consumer returned): the prefetched page is not wanted.
    pending?.catch(() => undefined);
  }
}
