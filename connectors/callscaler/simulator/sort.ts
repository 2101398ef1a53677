/**
 * Sort orders of the list and export: a sort key plus the call id as tie-breaker, both in the requested
 * direction. Null keys (ai_score not yet computed) sort last in both directions.
 */
import type { CallRecord } from './record.js';

export const SORT_BY = ['date', 'duration', 'status', 'ai_score'] as const;
export const SORT_ORDERS = ['desc', 'asc'] as const;
export type SortBy = (typeof SORT_BY)[number];
export type SortOrder = (typeof SORT_ORDERS)[number];
export type SortValue = number | string | null;

export interface SortSpec {
  by: SortBy;
  order: SortOrder;
}

export const DEFAULT_SORT: SortSpec = { by: 'date', order: 'desc' };

export function sortValue(r: CallRecord, by: SortBy): SortValue {
  switch (by) {
    case 'date':
      return r.createdMs;
    case 'duration':
      return r.duration_seconds;
    case 'status':
      return r.status;
    case 'ai_score':
      return r.ai_score;
  }
}

/** Negative when (av, aid) comes before (bv, bid) in the given order. */
export function compareKeys(
  order: SortOrder,
  av: SortValue,
  aid: string,
  bv: SortValue,
  bid: string,
): number {
  if (av !== bv) {
    if (av === null) return 1;
    if (bv === null) return -1;
    const c = av < bv ? -1 : 1;
    return order === 'asc' ? c : -c;
  }
  if (aid === bid) return 0;
  const c = aid < bid ? -1 : 1;
  return order === 'asc' ? c : -c;
}

export function comparator(spec: SortSpec): (a: CallRecord, b: CallRecord) => number {
  const { by, order } = spec;
  return (a, b) => compareKeys(order, sortValue(a, by), a.id, sortValue(b, by), b.id);
}

export function sortKey(spec: SortSpec): string {
  return `${spec.by}:${spec.order}`;
}
