import { DataError } from '../../../src/errors.js';
import type { HttpClient } from '../../../src/http/client.js';
import { BATCH_PATH, MAX_BATCH_IDS } from './endpoints.js';

/**
 * POST /calls/batch: up to 100 calls by id. The reply is `{data: {calls: [...]}}` (and maybe `not_found`) or
 * `{data: [...]}`; an id the reply does not hold is not found, whatever the reply says of it.
 */
export async function fetchCalls(
  http: HttpClient,
  ids: readonly string[],
  signal: AbortSignal,
): Promise<{ records: Map<string, Record<string, unknown>>; notFound: string[] }> {
  if (ids.length === 0 || ids.length > MAX_BATCH_IDS) {
    throw new DataError(
      `POST ${BATCH_PATH}: ${ids.length} ids; the API takes 1 to ${MAX_BATCH_IDS} a request`,
    );
  }
  const res = await http.postJson(BATCH_PATH, { ids }, signal);
  const records = new Map<string, Record<string, unknown>>();
  for (const r of batchRecords(res.body, `POST ${BATCH_PATH}`)) {
    const id = (r as { id?: unknown }).id;
    if (typeof id === 'string') records.set(id, r as Record<string, unknown>);
  }
  return { records, notFound: ids.filter((id) => !records.has(id)) };
}

/** The records of a batch reply, in either shape. */
export function batchRecords(body: unknown, where: string): unknown[] {
  const data = isObject(body) ? body.data : undefined;
  const records = Array.isArray(data) ? data : isObject(data) ? data.calls : undefined;
  if (!Array.isArray(records)) {
    throw new DataError(
      `${where}: expected {"data": {"calls": [...]}} or {"data": [...]}, got another shape`,
    );
  }
  return records.filter((r) => isObject(r));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
