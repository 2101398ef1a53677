import { DataError } from '../errors.js';
import type { StateValue } from '../load/destination.js';

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
  readonly start: string;
  readonly end: string;
  readonly windowDays: number;
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
  return {
    version: 1,
    watermark: typeof value.watermark === 'string' ? value.watermark : null,
    pass: (value.pass as PassState | null) ?? null,
    ranges: (value.ranges as Record<string, PassState> | undefined) ?? {},
    fingerprint: typeof value.fingerprint === 'string' ? value.fingerprint : null,
  };
}

export function toStateValue(state: StreamState): StateValue {
  return { ...state };
}
