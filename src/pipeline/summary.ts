/** The outcome of a run, printed by the CLI (text or JSON) and stored in `_sync_runs.details`. */
export interface Mismatch {
  readonly window: string;
  /** The API's `total` for the window. */
  readonly expected: number;
  /** Records received for it and loaded (received minus rejected). */
  readonly loaded: number;
}

export interface StreamSummary {
  readonly stream: string;
  readonly mode: 'backfill' | 'full' | 'range' | 'incremental';
  readonly windows: number;
  readonly windowsSkipped: number;
  readonly rows: number;
  readonly received: number;
  readonly rejected: number;
  readonly watermark: string | null;
  readonly mismatches: readonly Mismatch[];
}

export interface RunSummary {
  readonly runId: string;
  readonly pipeline: string;
  readonly destination: string;
  readonly status: 'succeeded' | 'failed';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly requests: number;
  readonly retries: number;
  readonly streams: readonly StreamSummary[];
  readonly error?: string;
}

export function totalRows(s: RunSummary): number {
  return s.streams.reduce((n, x) => n + x.rows, 0);
}
