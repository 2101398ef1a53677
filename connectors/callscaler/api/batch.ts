import { DataError } from '../../../src/errors.js';
import type { HttpClient } from '../../../src/http/client.js';
import { HttpStatusError } from '../../../src/http/errors.js';
import { BATCH_PATH, CALLS_PATH, MAX_BATCH_IDS } from './endpoints.js';
import { isObject } from './list-envelope.js';

/** The text fields a caller needs: a transcription where the call has one, a summary for every call. */
export interface TextWanted {
  readonly transcription: boolean;
  readonly summary: boolean;
}

export interface FetchedCalls {
  readonly records: Map<string, Record<string, unknown>>;
  readonly notFound: string[];
  /** GET /calls/:id requests made for records the batch sent without a wanted text field. */
  readonly detailLookups: number;
}

/**
 * POST /calls/batch: up to 100 calls by id. The reply is `{data: {calls: [...]}}` (and maybe `not_found`) or
 * `{data: [...]}`; an id the reply does not hold is not found, whatever the reply says of it.
 */
export async function fetchCalls(
  http: HttpClient,
  ids: readonly string[],
  signal: AbortSignal,
  wanted?: TextWanted,
): Promise<FetchedCalls> {
  if (ids.length === 0 || ids.length > MAX_BATCH_IDS) {
    throw new DataError(
      `POST ${BATCH_PATH}: ${ids.length} ids; the API takes 1 to ${MAX_BATCH_IDS} a request`,
    );
  }
  const res = await http.postJson(BATCH_PATH, { ids }, signal);
  const records = new Map<string, Record<string, unknown>>();
  const asked = new Set(ids);
  for (const r of batchRecords(res.body, `POST ${BATCH_PATH}`)) {
    const id = (r as { id?: unknown }).id;
    // A record the request did not ask for is no answer to it: left out (and never completed from its detail).
    if (typeof id === 'string' && asked.has(id)) records.set(id, r as Record<string, unknown>);
  }
  // The page documents the batch as full records, but a reply that leaves the large text fields out (as the
  // list does without include) must not become NULL text: such records are completed from GET /calls/:id,
  // which the page documents as the full record with transcription and summary.
  const lacking = wanted ? [...records.values()].filter((r) => lacksText(r, wanted)) : [];
  await Promise.all(lacking.map((r) => completeFromDetail(http, r, signal)));
  return { records, notFound: ids.filter((id) => !records.has(id)), detailLookups: lacking.length };
}

/** A record without a wanted text key (absent, not null: null is the API's word that there is none). */
function lacksText(r: Record<string, unknown>, wanted: TextWanted): boolean {
  if (wanted.summary && !Object.hasOwn(r, 'summary')) return true;
  return wanted.transcription && !Object.hasOwn(r, 'transcription') && r.has_transcription !== false;
}

/** Copies transcription and summary from the call's detail into `r`; a 404 leaves it as it is. */
async function completeFromDetail(
  http: HttpClient,
  r: Record<string, unknown>,
  signal: AbortSignal,
): Promise<void> {
  const path = `${CALLS_PATH}/${encodeURIComponent(String(r.id))}`;
  let body: unknown;
  try {
    body = (await http.getJson(path, undefined, signal)).body;
  } catch (err) {
    if (err instanceof HttpStatusError && err.status === 404) return;
    throw err;
  }
  const detail = detailRecord(body);
  if (detail === undefined || detail.id !== r.id) {
    throw new DataError(`GET ${path}: expected {"data": {call}} for call ${String(r.id)}, got another shape`);
  }
  for (const field of ['transcription', 'summary']) {
    if (Object.hasOwn(detail, field) && !Object.hasOwn(r, field)) r[field] = detail[field];
  }
}

/** The call in a detail reply: `{"data": {"call": {...}}}`, `{"data": {...}}` or the bare object. */
function detailRecord(body: unknown): Record<string, unknown> | undefined {
  if (!isObject(body)) return undefined;
  const data = body.data;
  if (!isObject(data)) return body;
  return isObject(data.call) ? data.call : data;
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
