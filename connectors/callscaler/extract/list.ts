import { DataError } from '../../../src/errors.js';
import type { ExtractChunk, StreamContext, Window } from '../../../src/pipeline/stream.js';
import { sharedPool } from '../../../src/workers/pool.js';
import { transferable } from '../../../src/workers/transfer.js';
import { CALLS_PATH, MAX_PAGE_SIZE } from '../api/endpoints.js';
import { type Query, windowQuery } from '../api/query.js';
import type { CallsStreamConfig } from '../config.js';
import type { ListPageHead, ListPageRows, ListPageTask } from './list-page.js';

/** The worker module beside this one (`.ts` when run from sources, as the tests do). */
const WORKER = new URL(`./list-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** Starts the list path's worker threads ahead of the first page. */
export function warmListWorkers(): void {
  sharedPool(WORKER).warm();
}

/**
 * The list path: cursor pagination over GET /calls, oldest first. Each page's bytes go to a worker thread that
 * parses, normalizes and encodes them (list-page.ts); it reports the envelope first, so the next page is
 * requested while the rows are still being encoded, and this thread is left with the network and the loader.
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
  const pool = sharedPool(WORKER);
  const seen = new Set<string>();
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
        secrets: ctx.http.secrets,
        meta,
      };
      const decoding = pool.run<ListPageRows>(task, [body.buffer]);
      const head = (await decoding.part) as ListPageHead;
      if (head.hasMore) {
        if (!head.nextCursor) throw new DataError(`${where}: has_more is true but next_cursor is empty`);
        if (seen.has(head.nextCursor))
          throw new DataError(`${where}: next_cursor repeats an earlier page's cursor`);
        seen.add(head.nextCursor);
        pending = fetchPage(head.nextCursor);
      }
      const rows = await decoding.result;
      yield {
        batch: null,
        parquet: rows.parquet ? { bytes: rows.parquet, rows: rows.rows } : undefined,
        rejects: rows.rejects,
        received: rows.received,
        total: page === 1 ? head.total : undefined,
      };
    }
  } finally {
    // Stopped early (an error, or the consumer returned): the prefetched page is not wanted.
    pending?.catch(() => undefined);
  }
}
