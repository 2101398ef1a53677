import type { ProbeResult, StreamContext } from '../../../src/connector/stream.js';
import { DataError } from '../../../src/errors.js';
import { CALLS_PATH } from '../api/endpoints.js';
import { parseListPage } from '../api/list-envelope.js';
import { windowQuery } from '../api/query.js';
import type { CallsStreamConfig } from '../config.js';
import { compileRowSettings, rowSettingsOf } from '../normalize/settings.js';
import { withoutPreview } from './page-json.js';

/**
 * The run's first request: checks the key, reads the provider's clock (HTTP Date) and finds the oldest
 * matching call, which is where history starts when no start_date is configured.
 */
export async function probeCalls(
  ctx: StreamContext,
  cfg: CallsStreamConfig,
  updatedSince?: string,
): Promise<ProbeResult> {
  const scope = { ...windowQuery({ ...cfg, include: [] }, { key: 'probe', updatedSince }) };
  const query = { ...scope, limit: 1, sort_by: 'date', sort_order: 'asc' };
  const withhold = compileRowSettings(rowSettingsOf(cfg)).pii.active;
  const res = await ctx.http.getJson(CALLS_PATH, query, ctx.signal).catch((err: unknown) => {
    throw withoutPreview(err, withhold);
  });
  const where = `GET ${CALLS_PATH} (probe)`;
  if (!res.serverDate) {
    throw new DataError(
      `${where}: the response has no valid Date header; the watermark must come from the provider's clock`,
    );
  }
  const page = parseListPage(res.body, where);
  const first = page.calls[0] as { created_at?: unknown } | undefined;
  let earliest: string | undefined;
  if (first && typeof first.created_at === 'string' && !Number.isNaN(Date.parse(first.created_at))) {
    earliest = new Date(first.created_at).toISOString().slice(0, 10);
  }
  return { serverDate: res.serverDate, earliest };
}
