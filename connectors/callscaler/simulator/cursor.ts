/**
 * Keyset cursors: the sort spec plus the last row's sort value and id, as base64url JSON. Resuming
 * "after this key" rather than "after N rows" is what keeps paging free of duplicates and gaps while
 * calls are added or changed between pages.
 */
import { invalidParam } from './errors.js';
import { SORT_BY, SORT_ORDERS, type SortSpec, type SortValue } from './sort.js';

export interface Cursor {
  sort: SortSpec;
  value: SortValue;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  const json = JSON.stringify({ s: c.sort.by, o: c.sort.order, k: c.value, id: c.id });
  return Buffer.from(json, 'utf8').toString('base64url');
}

export function decodeCursor(token: string): Cursor {
  const bad = () => invalidParam('cursor', 'not a valid cursor (use next_cursor from a previous response)');
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw bad();
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (typeof raw !== 'object' || raw === null) throw bad();
  const { s, o, k, id } = raw as Record<string, unknown>;
  if (!SORT_BY.includes(s as never) || !SORT_ORDERS.includes(o as never) || typeof id !== 'string')
    throw bad();
  const sort = { by: s, order: o } as SortSpec;
  const valueOk =
    sort.by === 'status'
      ? typeof k === 'string'
      : sort.by === 'ai_score'
        ? k === null || Number.isInteger(k)
        : Number.isFinite(k);
  if (!valueOk) throw bad();
  return { sort, value: k as SortValue, id };
}
