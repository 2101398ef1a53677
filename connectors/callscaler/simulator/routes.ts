/**
 * The Calls API endpoints (paths relative to /api/v1). Each handler returns a Reply; validation errors
 * are thrown as SimApiError and turned into the provider's JSON error envelope by the server.
 */
import { invalidParam, SimApiError } from './errors.js';
import { parseInclude, parseListQuery } from './params.js';
import { paginate } from './query.js';
import { INCLUDE_ALL, toApiCall } from './record.js';
import { recordingReply } from './recording.js';
import { errorReply, jsonReply, type Reply } from './reply.js';
import type { CallStore } from './store.js';
import type { FaultSwitches } from './types.js';

export const MAX_BATCH_IDS = 100;

export interface ApiRequest {
  method: string;
  /** Path below the base, e.g. `/calls/abc/recording`. */
  path: string;
  query: URLSearchParams;
  body: Buffer | null;
}

/** What a reply depends on besides the data: the switches as the request found them, and our address. */
export interface ServeContext {
  faults: FaultSwitches;
  /** The API root of this simulator (http://host:port/api/v1): recording_url points here. */
  apiBase: string;
}

function notFound(what: string): SimApiError {
  return new SimApiError(404, 'not_found', what);
}

function listCalls(store: CallStore, query: URLSearchParams, ctx: ServeContext): Reply {
  const q = parseListQuery(query);
  const page = paginate(store.select(q.filter, q.sort), q.sort, q);
  return jsonReply(200, {
    data: {
      calls: page.items.map((r) => toApiCall(r, q.include, ctx.apiBase)),
      total: page.total,
      has_more: page.hasMore,
      next_cursor: page.nextCursor,
      limit: q.limit,
      offset: q.offset,
    },
  });
}

function exportCalls(store: CallStore, query: URLSearchParams, ctx: ServeContext): Reply {
  const q = parseListQuery(query, true);
  const rows = store.select(q.filter, q.sort);
  return { kind: 'csv', status: 200, rows, include: q.include, apiBase: ctx.apiBase };
}

function parseBatchBody(body: Buffer | null): unknown {
  try {
    return JSON.parse(body?.toString('utf8') ?? '');
  } catch {
    throw new SimApiError(400, 'invalid_body', 'body: must be JSON like {"ids": ["<uuid>", ...]}');
  }
}

/** How many ids a batch body carries (for the request log); undefined when it has no `ids` array. */
export function batchIdCount(body: Buffer | null): number | undefined {
  try {
    const ids = (parseBatchBody(body) as { ids?: unknown } | null)?.ids;
    return Array.isArray(ids) ? ids.length : undefined;
  } catch {
    return undefined;
  }
}

function batch(store: CallStore, body: Buffer | null, ctx: ServeContext): Reply {
  const ids = (parseBatchBody(body) as { ids?: unknown } | null)?.ids;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_BATCH_IDS) {
    throw invalidParam('ids', `must be an array of 1 to ${MAX_BATCH_IDS} call ids`);
  }
  if (!ids.every((id) => typeof id === 'string')) throw invalidParam('ids', 'every id must be a string');
  const calls: unknown[] = [];
  const notFoundIds: string[] = [];
  for (const id of new Set(ids as string[])) {
    const rec = store.get(id);
    if (rec) calls.push(toApiCall(rec, INCLUDE_ALL, ctx.apiBase));
    else notFoundIds.push(id);
  }
  // 'array': the bare list some APIs send; a client must treat ids absent from it as not found.
  if (ctx.faults.batchShape === 'array') return jsonReply(200, { data: calls });
  return jsonReply(200, { data: { calls, not_found: notFoundIds } });
}

function getCall(store: CallStore, id: string, sub: string | undefined, ctx: ServeContext): Reply {
  const rec = store.get(id);
  if (!rec) throw notFound(`Call ${id} not found`);
  if (sub === undefined) return jsonReply(200, { data: toApiCall(rec, INCLUDE_ALL, ctx.apiBase) });
  if (sub === 'recording') {
    if (rec.recording_duration === null) throw notFound(`Call ${id} has no recording`);
    return recordingReply(id, rec.recording_duration, ctx.faults);
  }
  if (!rec.has_transcription) throw notFound(`Call ${id} has no transcription`);
  return jsonReply(200, { data: { call_id: id, transcription: rec.transcription } });
}

function allow(req: ApiRequest, method: string): void {
  if (req.method !== method && !(method === 'GET' && req.method === 'HEAD')) {
    throw new SimApiError(405, 'method_not_allowed', `${req.method} is not allowed here; use ${method}`, {
      allow: method === 'GET' ? 'GET, HEAD' : method,
    });
  }
}

const pathParts = (path: string) => path.split('/').filter((p) => p !== '');

/** Whether `path` (below the base) is the batch endpoint, however its slashes are written. */
export function isBatchPath(path: string): boolean {
  const parts = pathParts(path);
  return parts.length === 2 && parts[0] === 'calls' && parts[1] === 'batch';
}

/** Routes one authenticated API request. */
export function handleApi(store: CallStore, req: ApiRequest, ctx: ServeContext): Reply {
  const parts = pathParts(req.path);
  if (parts[0] !== 'calls' || parts.length > 3) throw notFound(`No such endpoint: ${req.method} ${req.path}`);
  if (parts.length === 1) {
    allow(req, 'GET');
    return listCalls(store, req.query, ctx);
  }
  if (parts.length === 2 && parts[1] === 'export') {
    allow(req, 'GET');
    return exportCalls(store, req.query, ctx);
  }
  if (parts.length === 2 && parts[1] === 'batch') {
    allow(req, 'POST');
    return batch(store, req.body, ctx);
  }
  const sub = parts[2];
  if (sub !== undefined && sub !== 'recording' && sub !== 'transcription') {
    throw notFound(`No such endpoint: ${req.method} ${req.path}`);
  }
  allow(req, 'GET');
  let id: string;
  try {
    id = decodeURIComponent(parts[1]);
  } catch {
    throw notFound(`Call ${parts[1]} not found`);
  }
  // include= is accepted on the detail endpoint for symmetry; the full record is always returned.
  parseInclude(req.query.get('include') ?? undefined);
  return getCall(store, id, sub, ctx);
}

export function errorFor(err: unknown): Reply {
  if (err instanceof SimApiError) return errorReply(err.status, err.apiCode, err.message, { ...err.headers });
  const message = err instanceof Error ? err.message : String(err);
  return errorReply(500, 'internal_error', `The simulator failed to answer this request: ${message}`);
}
