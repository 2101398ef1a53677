import type { RecordBatch } from 'apache-arrow';
import type { HttpClient } from '../http/client.js';
import type { RejectRow } from '../load/destination.js';
import type { TableSchema } from '../schema/table.js';

/**
 * A stream is a plug-in: the engine plans windows, commits and checkpoints; the stream only knows how to
 * fetch one window of its endpoint and turn it into Arrow record batches.
 */

/** The part of every stream's config that the engine reads (connectors extend it). */
export interface BaseStreamConfig {
  readonly sync: 'incremental' | 'full';
  readonly extract: string;
  readonly start_date?: string | null;
  readonly end_date?: string | null;
  readonly window_days: number;
  readonly lookback_minutes: number;
  readonly max_rejected: number;
}

/** A unit of work that commits (rows + checkpoint) as one. Dates are YYYY-MM-DD, end exclusive. */
export interface Window {
  readonly key: string;
  readonly startDate?: string;
  readonly endDate?: string;
  /** ISO 8601 instant: only records updated after it. */
  readonly updatedSince?: string;
}

export type StreamReject = Omit<RejectRow, 'stream' | 'run_id'>;

/** What an extractor yields: usually one page (list) or a few thousand rows (export). */
export interface ExtractChunk {
  readonly batch: RecordBatch | null;
  /** Rows already encoded as one Parquet file (by a worker thread), instead of `batch`. */
  readonly parquet?: { readonly bytes: Uint8Array; readonly rows: number };
  readonly rejects: readonly StreamReject[];
  /** Records received in this chunk (good + rejected). */
  readonly received: number;
  /** The API's own count of matching records for the window, when it tells. */
  readonly total?: number;
}

export interface StreamContext {
  readonly http: HttpClient;
  readonly runId: string;
  readonly syncedAtMs: number;
  readonly signal: AbortSignal;
  /** Records per page for paginated endpoints (source.page_size). */
  readonly pageSize: number;
}

export interface ProbeResult {
  /** The provider's clock: the HTTP Date of this run's first response. */
  readonly serverDate: Date;
  /** Date (YYYY-MM-DD) of the oldest record matching the stream's filters; undefined when there is none. */
  readonly earliest?: string;
}

export interface StreamPlugin<C extends BaseStreamConfig = BaseStreamConfig> {
  readonly name: string;
  readonly schema: TableSchema;
  /** Optional: start what takes time to get ready (worker threads) before the probe, so it overlaps it. */
  prepare?(cfg: C): void;
  /**
   * One cheap request that checks access and reads the provider's clock. `updatedSince` is set when the
   * run will be an incremental tail, so even this request asks only for changed records.
   */
  probe(ctx: StreamContext, cfg: C, updatedSince?: string): Promise<ProbeResult>;
  /** The extract path actually used for a window (e.g. `auto` picks export for history, list for the tail). */
  extract(ctx: StreamContext, cfg: C, window: Window): AsyncIterable<ExtractChunk>;
}

export interface SourceConfig {
  readonly base_url: string;
  readonly api_key: string;
  readonly account: string;
  readonly timeout_ms: number;
  readonly max_retries: number;
  readonly concurrency: number;
  readonly requests_per_second: number;
  readonly page_size: number;
}

/** A connector: its streams and how to authenticate. */
export interface Connector {
  readonly name: string;
  readonly streams: Readonly<Record<string, StreamPlugin>>;
  authHeaders(source: SourceConfig): Record<string, string>;
}
