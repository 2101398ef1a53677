import type {
  DateRange,
  ProbeRequest,
  ProbeResult,
  StreamContext,
  Window,
} from '../../../src/connector/stream.js';
import { DataError } from '../../../src/errors.js';
import type { JsonResponse } from '../../../src/http/client.js';
import { CALLS_PATH } from '../api/endpoints.js';
import { type ListPage, parseListPage } from '../api/list-envelope.js';
import { windowQuery } from '../api/query.js';
import type { CallsStreamConfig } from '../config.js';
import { compileRowSettings, rowSettingsOf } from '../normalize/settings.js';
import { withoutPreview } from './page-json.js';

/**
 * The run's first request: checks the key, reads the provider's clock (HTTP Date) and finds the oldest
 * matching call, which is where history starts when no start_date is configured. For a new pass
 * (`request.extent`) it also reads the range's `total` from the same page, and asks for the newest call
 * (`sort_order=desc`), so the pass plans no window past the last call.
 */
export async function probeCalls(
  ctx: StreamContext,
  cfg: CallsStreamConfig,
  request: ProbeRequest = {},
): Promise<ProbeResult> {
  const { updatedSince, extent } = request;
  const scope: Window = { key: 'probe', updatedSince, ...extent };
  const first = await firstCall(ctx, cfg, scope, 'asc');
  const where = `GET ${CALLS_PATH} (probe)`;
  if (!first.res.serverDate) {
    throw new DataError(
      `${where}: the response has no valid Date header; the watermark must come from the provider's clock`,
    );
  }
  const serverDate = first.res.serverDate;
  const earliest = callDate(first.page);
  if (!extent) return { serverDate, earliest };
  if (first.page.calls.length === 0) return { serverDate, total: 0 };
  // A first call without a readable date: where the range's calls lie is unknown (the pass covers it all).
  if (earliest === undefined) return { serverDate, total: first.page.total };
  // Asked only now, after the clock was read: a call added in between is either found here or was updated
  // after serverDate, which the next incremental run asks for. Never the other way round.
  const last = await firstCall(ctx, cfg, scope, 'desc');
  return { serverDate, earliest, latest: callDate(last.page) ?? earliest, total: first.page.total };
}

/** How many calls match in a created-date range: the `total` of a one-call page. */
export async function countCalls(
  ctx: StreamContext,
  cfg: CallsStreamConfig,
  range: DateRange,
): Promise<number | undefined> {
  const { page } = await firstCall(ctx, cfg, { key: 'count', ...range }, 'asc');
  return page.total;
}

async function firstCall(
  ctx: StreamContext,
  cfg: CallsStreamConfig,
  scope: Window,
  order: 'asc' | 'desc',
): Promise<{ res: JsonResponse; page: ListPage }> {
  const query = {
    ...windowQuery({ ...cfg, include: [] }, scope),
    limit: 1,
    sort_by: 'date',
    sort_order: order,
  };
  const withhold = compileRowSettings(rowSettingsOf(cfg)).pii.active;
  const res = await ctx.http.getJson(CALLS_PATH, query, ctx.signal).catch((err: unknown) => {
    throw withoutPreview(err, withhold);
  });
  const range = scope.startDate || scope.endDate ? ` ${scope.startDate ?? ''}..${scope.endDate ?? ''}` : '';
  return { res, page: parseListPage(res.body, `GET ${CALLS_PATH} (${scope.key}${range})`) };
}

/** The UTC date of the page's first call; undefined when there is none (or its created_at is not a date). */
function callDate(page: ListPage): string | undefined {
  const call = page.calls[0] as { created_at?: unknown } | undefined;
  if (!call || typeof call.created_at !== 'string' || Number.isNaN(Date.parse(call.created_at)))
    return undefined;
  return new Date(call.created_at).toISOString().slice(0, 10);
}
