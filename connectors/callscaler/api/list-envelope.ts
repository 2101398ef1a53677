import { DataError } from '../../../src/errors.js';

/** The list response envelope: `{"data":{"calls":[...],"total":N,"has_more":bool,"next_cursor":...}}`. */
export interface ListPage {
  readonly calls: readonly unknown[];
  readonly total: number | undefined;
  readonly hasMore: boolean;
  readonly nextCursor: string | null;
}

/** `context` goes into every error (e.g. the window the page belongs to). */
export function parseListPage(body: unknown, where: string, context: Record<string, unknown> = {}): ListPage {
  const fail = (problem: string) => new DataError(`${where}: ${problem}`, { context });
  const data = isObject(body) ? body.data : undefined;
  if (!isObject(data)) throw fail('response has no "data" object');
  const { calls, total, has_more, next_cursor } = data;
  if (!Array.isArray(calls)) throw fail('data.calls is not an array');
  if (typeof has_more !== 'boolean') throw fail('data.has_more is not a boolean');
  if (next_cursor !== null && next_cursor !== undefined && typeof next_cursor !== 'string') {
    throw fail('data.next_cursor is not a string');
  }
  if (total !== undefined && total !== null && !Number.isInteger(total)) {
    throw fail('data.total is not an integer');
  }
  return {
    calls,
    total: typeof total === 'number' ? total : undefined,
    hasMore: has_more,
    nextCursor: (next_cursor as string | null | undefined) ?? null,
  };
}

/** A JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
