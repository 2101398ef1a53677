/**
 * The outcome of a run: one type for what `run --json` prints and what `_sync_runs.details` keeps, in the
 * snake_case of the tables.
 */
export interface Mismatch {
  readonly window: string;
  /** The API's `total` for the window. */
  readonly expected: number;
  /** Records received for it and loaded (received minus rejected). */
  readonly loaded: number;
}

export type StreamMode = 'backfill' | 'full' | 'range' | 'incremental' | 'lookup' | 'enrich';

export interface StreamSummary {
  readonly stream: string;
  readonly account: string;
  readonly mode: StreamMode;
  /** Rows this run loaded (distinct keys written). */
  readonly rows: number;
  /** Records received (loaded + rejected). */
  readonly received: number;
  readonly rejected: number;
  readonly watermark: string | null;
  readonly windows: number;
  readonly windows_skipped: number;
  /** Windows whose record count differed from the API's total. */
  readonly mismatches: readonly Mismatch[];
  /** What the stream counted besides rows (e.g. text_filled, not_found), by name. */
  readonly counters: Readonly<Record<string, number>>;
  /** What a person should know about the data, each once (e.g. an unknown category value). */
  readonly warnings: readonly string[];
  /** A few examples of what some counters counted (e.g. not_found: the first ids not found). */
  readonly samples: Readonly<Record<string, readonly string[]>>;
}

export interface AccountFailure {
  readonly account: string;
  readonly code: string;
  readonly message: string;
}

export interface RunSummary {
  readonly status: 'succeeded' | 'failed';
  readonly run_id: string;
  /** null when the run failed before its pipeline file was read. */
  readonly pipeline: string | null;
  readonly destination: string | null;
  readonly started_at: string;
  readonly duration_ms: number;
  readonly requests: number;
  readonly retries: number;
  readonly streams: readonly StreamSummary[];
  /** Accounts that failed (the others' rows are committed). */
  readonly failed_accounts?: readonly AccountFailure[];
  readonly error?: { readonly code: string; readonly message: string };
}

export function totalRows(s: RunSummary): number {
  return s.streams.reduce((n, x) => n + x.rows, 0);
}
