import type { Window } from '../connector/stream.js';
import { DataError } from '../errors.js';
import type { StateValue } from '../load/destination.js';
import { dateWindows, windowOfKey } from './windows.js';

/**
 * A stream's sync state: small, JSON, no per-row data. Checkpoints are the keys of committed windows.
 *
 * - `watermark`: the provider's clock at the start of the last complete pass; the next incremental run asks
 *   for `updated_since = watermark - lookback`.
 * - `pass`: an unfinished pass (initial backfill, full snapshot or explicit date range). A re-run resumes it:
 *   same windows, the committed ones skipped, and the same `serverDate` so nothing updated meanwhile is missed.
 */
export interface PassState {
  readonly kind: 'backfill' | 'full' | 'range';
  readonly id: string;
  /** The provider's clock when the pass started (ISO 8601). */
  readonly serverDate: string;
  /** The pass's created-date range (a range pass's is its key); its windows lie inside, where the data is. */
  readonly start: string;
  readonly end: string;
  /**
   * The pass's windows (keys `YYYY-MM-DD..YYYY-MM-DD`), in order: planned once where the records are, so they
   * are neither regular nor contiguous, and a resumed pass needs the list.
   */
  readonly windows?: readonly string[];
  /** Passes stored before windows followed the data: regular windows of this many days over [start, end). */
  readonly windowDays?: number;
  readonly done: readonly string[];
  /**
   * A backfill's rows go into a snapshot published at its end (the account had no rows when it began), not
   * into the live table; absent in passes stored before this existed, which merged. Full passes always do.
   */
  readonly snapshot?: boolean;
}

export interface StreamState {
  readonly version: 1;
  readonly watermark: string | null;
  readonly pass: PassState | null;
  /** Explicit `--start-date/--end-date` passes in progress, by range key; they never move the watermark. */
  readonly ranges: Readonly<Record<string, PassState>>;
  /**
   * The stream's `fingerprint` when its rows were loaded (settings that change what a stored row holds, e.g. PII
   * modes or the reporting time zone); null for the defaults.
   */
  readonly fingerprint: string | null;
}

export const EMPTY_STATE: StreamState = {
  version: 1,
  watermark: null,
  pass: null,
  ranges: {},
  fingerprint: null,
};

export function parseState(value: StateValue | undefined, where: string): StreamState {
  if (value === undefined) return EMPTY_STATE;
  if (value.version !== 1) {
    throw new DataError(`${where}: unsupported sync state version ${JSON.stringify(value.version)}`);
  }
  const pass = (value.pass as PassState | null) ?? null;
  const ranges = (value.ranges as Record<string, PassState> | undefined) ?? {};
  for (const p of [pass, ...Object.values(ranges)]) if (p) passWindows(p, where);
  return {
    version: 1,
    watermark: typeof value.watermark === 'string' ? value.watermark : null,
    pass,
    ranges,
    fingerprint: typeof value.fingerprint === 'string' ? value.fingerprint : null,
  };
}

/** A stored pass's windows, in order: its own list, or for an older pass the regular windows it planned. */
export function passWindows(pass: PassState, where = 'sync state'): Window[] {
  const what = `${where}: ${pass.kind} pass ${pass.start}..${pass.end}`;
  if (pass.windows !== undefined) {
    if (!Array.isArray(pass.windows)) throw new DataError(`${what}: windows is not a list`);
    return pass.windows.map((key) => {
      const w = typeof key === 'string' ? windowOfKey(key) : undefined;
      if (!w) throw new DataError(`${what}: ${JSON.stringify(key)} is not a window (YYYY-MM-DD..YYYY-MM-DD)`);
      return w;
    });
  }
  const days = pass.windowDays;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1) {
    throw new DataError(`${what}: it has neither a list of windows nor a whole number of windowDays`);
  }
  return dateWindows(pass.start, pass.end, days);
}

export function toStateValue(state: StreamState): StateValue {
  return { ...state };
}
