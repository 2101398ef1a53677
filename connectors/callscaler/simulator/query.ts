/**
 * Filtering and pagination over a sorted list of calls. The list endpoint and the export share the
 * filter; the list then pages by offset or by keyset cursor.
 */
import { type Cursor, encodeCursor } from './cursor.js';
import type { CallRecord } from './record.js';
import { compareKeys, type SortSpec, sortValue } from './sort.js';
import type { AiCategory, CallDirection, CallStatus } from './types.js';

/** Every documented filter; absent = not filtered. Strings in search/caller_name/keyword are lower-cased. */
export interface CallFilter {
  startMs?: number;
  endMs?: number;
  updatedSinceMs?: number;
  status?: CallStatus;
  direction?: CallDirection;
  source?: string;
  numberId?: string;
  callFlowId?: string;
  numberGroupId?: string;
  minDuration?: number;
  maxDuration?: number;
  search?: string;
  minAiScore?: number;
  maxAiScore?: number;
  aiCategory?: AiCategory;
  qualified?: boolean;
  hasTranscription?: boolean;
  callerName?: string;
  keyword?: string;
}

export function isEmptyFilter(f: CallFilter): boolean {
  return Object.keys(f).length === 0;
}

/** A stable key for caching results of the same filter. */
export function filterKey(f: CallFilter): string {
  return JSON.stringify(Object.entries(f).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function compileFilter(f: CallFilter): (r: CallRecord) => boolean {
  const tests: ((r: CallRecord) => boolean)[] = [];
  const add = (t: (r: CallRecord) => boolean) => tests.push(t);
  if (f.startMs !== undefined) add((r) => r.createdMs >= f.startMs!);
  if (f.endMs !== undefined) add((r) => r.createdMs < f.endMs!);
  if (f.updatedSinceMs !== undefined) add((r) => r.updatedMs > f.updatedSinceMs!);
  if (f.status !== undefined) add((r) => r.status === f.status);
  if (f.direction !== undefined) add((r) => r.direction === f.direction);
  if (f.source !== undefined) add((r) => r.source === f.source);
  if (f.numberId !== undefined) add((r) => r.num.id === f.numberId);
  if (f.callFlowId !== undefined) add((r) => r.num.flow.id === f.callFlowId);
  if (f.numberGroupId !== undefined) add((r) => r.num.groupId === f.numberGroupId);
  if (f.minDuration !== undefined) add((r) => r.duration_seconds >= f.minDuration!);
  if (f.maxDuration !== undefined) add((r) => r.duration_seconds <= f.maxDuration!);
  if (f.search !== undefined) {
    const s = f.search;
    add(
      (r) =>
        r.caller_number.toLowerCase().includes(s) ||
        r.num.number.toLowerCase().includes(s) ||
        r.num.flow.destination.toLowerCase().includes(s) ||
        r.num.name.toLowerCase().includes(s),
    );
  }
  if (f.minAiScore !== undefined) add((r) => r.ai_score !== null && r.ai_score >= f.minAiScore!);
  if (f.maxAiScore !== undefined) add((r) => r.ai_score !== null && r.ai_score <= f.maxAiScore!);
  if (f.aiCategory !== undefined) add((r) => r.ai_category === f.aiCategory);
  if (f.qualified !== undefined) add((r) => r.qualified_ai === f.qualified);
  if (f.hasTranscription !== undefined) add((r) => r.has_transcription === f.hasTranscription);
  if (f.callerName !== undefined) {
    const s = f.callerName;
    add((r) => r.caller_name?.toLowerCase().includes(s) === true);
  }
  if (f.keyword !== undefined) {
    const k = f.keyword;
    add((r) => r.keywords_spotted.some((w) => w.toLowerCase() === k));
  }
  return (r) => {
    for (const t of tests) if (!t(r)) return false;
    return true;
  };
}

export interface PageRequest {
  limit: number;
  offset: number;
  cursor: Cursor | null;
}

export interface Page {
  items: CallRecord[];
  total: number;
  hasMore: boolean;
  nextCursor: string | null;
}

/** Index of the first call strictly after the cursor's key in `sorted`. */
function afterCursor(sorted: readonly CallRecord[], sort: SortSpec, c: Cursor): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const r = sorted[mid];
    if (compareKeys(sort.order, sortValue(r, sort.by), r.id, c.value, c.id) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One page of `sorted` (already filtered and ordered by `sort`). */
export function paginate(sorted: readonly CallRecord[], sort: SortSpec, req: PageRequest): Page {
  const start = req.cursor ? afterCursor(sorted, sort, req.cursor) : Math.min(req.offset, sorted.length);
  const items = sorted.slice(start, start + req.limit);
  const hasMore = start + items.length < sorted.length;
  const last = items[items.length - 1];
  return {
    items,
    total: sorted.length,
    hasMore,
    nextCursor: hasMore && last ? encodeCursor({ sort, value: sortValue(last, sort.by), id: last.id }) : null,
  };
}
