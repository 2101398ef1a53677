import type { ExtractChunk, StreamContext, Window } from '../../../src/connector/stream.js';
import { fetchCalls } from '../api/batch.js';
import { BATCH_PATH, MAX_BATCH_IDS } from '../api/endpoints.js';
import type { CallsStreamConfig } from '../config.js';
import { carriedColumns, listFields } from '../normalize/carried.js';
import { rowSettingsOf } from '../normalize/settings.js';
import { recordsToChunk } from './to-batch.js';

/**
 * A lookup: the window's calls by id through POST /calls/batch, 100 ids a request (run concurrently under
 * the account's budget), normalized like list records. Ids the API does not return are counted as
 * `not_found` with a few of them as samples; they are not an error.
 */
export async function* extractByIds(
  ctx: StreamContext,
  cfg: CallsStreamConfig,
  window: Window,
): AsyncGenerator<ExtractChunk> {
  const ids = window.ids ?? [];
  const groups: string[][] = [];
  for (let i = 0; i < ids.length; i += MAX_BATCH_IDS)
    groups.push(ids.slice(i, i + MAX_BATCH_IDS) as string[]);
  const wanted = {
    transcription: cfg.include.includes('transcription'),
    summary: cfg.include.includes('summary'),
  };
  const replies = groups.map((g) => fetchCalls(ctx.http, g, ctx.signal, wanted));
  for (const r of replies) r.catch(() => undefined); // awaited below, in order
  const meta = {
    account: ctx.account,
    runId: ctx.runId,
    syncedAtMs: ctx.syncedAtMs,
    extract: 'lookup' as const,
    settings: rowSettingsOf(cfg),
  };
  // The batch sends full records; a text field `include` does not ask for is left as stored.
  const columns = carriedColumns(listFields(cfg.include));
  for (const [i, reply] of replies.entries()) {
    const { records, notFound, detailLookups } = await reply;
    const where = `POST ${BATCH_PATH} window ${window.key} request ${i + 1}`;
    const chunk = recordsToChunk([...records.values()], meta, where, undefined, columns);
    const counters: Record<string, number> = { ...chunk.counters };
    if (notFound.length > 0) counters.not_found = notFound.length;
    if (detailLookups > 0) counters.detail_lookups = detailLookups;
    yield notFound.length === 0
      ? { ...chunk, counters }
      : { ...chunk, counters, samples: { not_found: notFound } };
  }
}
