/**
 * Query-string validation for /calls and /calls/export, with the provider's error style
 * (`400 invalid_parameter`, message `<param>: <what is wrong>`). Unknown parameters are ignored and
 * empty values count as absent, as most HTTP APIs do.
 */
import { AI_CATEGORIES, CALL_DIRECTIONS, CALL_STATUSES, INCLUDABLE } from './api-fields.js';
import { type Cursor, decodeCursor } from './cursor.js';
import { invalidParam } from './errors.js';
import type { CallFilter } from './query.js';
import type { Include } from './record.js';
import { DEFAULT_SORT, SORT_BY, SORT_ORDERS, type SortSpec } from './sort.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export interface ListQuery {
  filter: CallFilter;
  sort: SortSpec;
  include: Include;
  limit: number;
  offset: number;
  cursor: Cursor | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

function oneOf<T extends string>(param: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw invalidParam(param, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

function integer(param: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value)) throw invalidParam(param, `must be an integer, got "${value.slice(0, 40)}"`);
  const n = Number(value);
  if (n < min || n > max) {
    throw invalidParam(
      param,
      max === Number.MAX_SAFE_INTEGER ? `must be >= ${min}` : `must be between ${min} and ${max}`,
    );
  }
  return n;
}

function bool(param: string, value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidParam(param, 'must be true or false');
}

/** Start of a UTC calendar day in epoch ms. */
function day(param: string, value: string): number {
  const m = DATE.exec(value);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || new Date(ms).toISOString().slice(0, 10) !== value)
    throw invalidParam(param, 'must be a date YYYY-MM-DD');
  return ms;
}

function instant(param: string, value: string): number {
  const m = ISO_INSTANT.exec(value);
  if (!m) throw invalidParam(param, 'must be an ISO 8601 timestamp, e.g. 2026-03-30T10:00:00Z');
  // A timestamp without an offset is UTC here; JavaScript would read it as local time.
  const hasTime = value.length > 10;
  const ms = Date.parse(hasTime && !m[1] ? `${value.replace(' ', 'T')}Z` : value.replace(' ', 'T'));
  if (Number.isNaN(ms)) throw invalidParam(param, 'must be an ISO 8601 timestamp, e.g. 2026-03-30T10:00:00Z');
  return ms;
}

function uuid(param: string, value: string): string {
  if (!UUID.test(value)) throw invalidParam(param, 'must be a UUID');
  return value.toLowerCase();
}

export function parseInclude(value: string | undefined): Include {
  const include: Include = { transcription: false, summary: false };
  if (!value) return include;
  for (const part of value.split(',')) {
    const name = part.trim();
    if (name === '') continue;
    include[oneOf('include', name, INCLUDABLE)] = true;
  }
  return include;
}

type FilterParsers = {
  [K in keyof CallFilter]-?: readonly [string, (param: string, v: string) => CallFilter[K]];
};

const lower = (_param: string, v: string) => v.toLowerCase();

/** Query parameter and parser for every filter field. */
const FILTERS: FilterParsers = {
  startMs: ['start_date', day],
  endMs: ['end_date', day],
  updatedSinceMs: ['updated_since', instant],
  status: ['status', (p, v) => oneOf(p, v, CALL_STATUSES)],
  direction: ['direction', (p, v) => oneOf(p, v, CALL_DIRECTIONS)],
  source: ['source', lower],
  numberId: ['number_id', uuid],
  callFlowId: ['call_flow_id', uuid],
  numberGroupId: ['number_group_id', uuid],
  minDuration: ['min_duration', (p, v) => integer(p, v, 0)],
  maxDuration: ['max_duration', (p, v) => integer(p, v, 0)],
  search: ['search', lower],
  minAiScore: ['min_ai_score', (p, v) => integer(p, v, 0, 100)],
  maxAiScore: ['max_ai_score', (p, v) => integer(p, v, 0, 100)],
  aiCategory: ['ai_category', (p, v) => oneOf(p, v, AI_CATEGORIES)],
  qualified: ['qualified', bool],
  hasTranscription: ['has_transcription', bool],
  callerName: ['caller_name', lower],
  keyword: ['keyword', lower],
};

/** Parses the list/export query; the export ignores pagination parameters. */
export function parseListQuery(params: URLSearchParams, forExport = false): ListQuery {
  const get = (name: string): string | undefined => {
    const v = params.get(name);
    return v === null || v === '' ? undefined : v;
  };
  const filter: Record<string, unknown> = {};
  for (const [field, [param, parse]] of Object.entries(FILTERS)) {
    const v = get(param);
    if (v !== undefined) filter[field] = (parse as (p: string, v: string) => unknown)(param, v);
  }
  const f = filter as CallFilter;
  const sortBy = get('sort_by');
  const sortOrder = get('sort_order');
  let sort: SortSpec = {
    by: sortBy === undefined ? DEFAULT_SORT.by : oneOf('sort_by', sortBy, SORT_BY),
    order: sortOrder === undefined ? DEFAULT_SORT.order : oneOf('sort_order', sortOrder, SORT_ORDERS),
  };
  const include = parseInclude(get('include'));
  if (forExport)
    return { filter: f, sort, include, limit: Number.POSITIVE_INFINITY, offset: 0, cursor: null };

  const limitParam = get('limit');
  const offsetParam = get('offset');
  const cursorParam = get('cursor');
  const limit = limitParam === undefined ? DEFAULT_LIMIT : integer('limit', limitParam, 1, MAX_LIMIT);
  const offset = offsetParam === undefined ? 0 : integer('offset', offsetParam, 0);
  const cursor = cursorParam === undefined ? null : decodeCursor(cursorParam);
  // The cursor remembers the order it was made for; resuming in another order would skip rows.
  if (cursor) sort = cursor.sort;
  return { filter: f, sort, include, limit, offset: cursor ? 0 : offset, cursor };
}
