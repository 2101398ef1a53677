import type { RecordBatch } from 'apache-arrow';
import type { BaseStreamConfig } from '../config/schema.js';
import type { HttpClient } from '../http/client.js';
import type { RejectRow } from '../load/destination.js';
import type { TableSchema } from '../schema/table.js';

/**
 * The contract between the engine and a connector's streams. The engine plans windows, stages rows, commits and
 * checkpoints; a stream only knows how to fetch one window of its endpoint and turn it into Arrow record batches.
 */

/** A unit of work that commits (rows + checkpoint) as one. Dates are YYYY-MM-DD, end exclusive. */
export interface Window {
  readonly key: string;
  readonly startDate?: string;
  readonly endDate?: string;
  /** ISO 8601 instant: only records updated after it. */
  readonly updatedSince?: string;
  /** These records, by id (a lookup), instead of a date range. */
  readonly ids?: readonly string[];
  /** Rows of the destination to work on (a stream that follows up on loaded rows, see `Stream.workList`). */
  readonly items?: readonly Readonly<Record<string, unknown>>[];
}

/** A record that could not be normalized, as the stream reports it (the engine adds stream and run). */
export type StreamReject = Omit<RejectRow, 'stream' | 'run_id' | 'account'>;

/** What a stream yields: usually one page (list) or a few thousand rows (export). */
export interface ExtractChunk {
  /** The rows to stage; null when there are none, or when `WindowContext.decode` has staged them already. */
  readonly batch: RecordBatch | null;
  readonly rejects: readonly StreamReject[];
  /** Records received in this chunk (good + rejected). */
  readonly received: number;
  /** The API's own count of matching records for the window, when it tells. */
  readonly total?: number;
  /** What the stream counted besides rows (e.g. texts filled), summed per window and run. */
  readonly counters?: Readonly<Record<string, number>>;
  /** Things a person should know about the data (reported once per run each, e.g. an unknown category). */
  readonly warnings?: readonly string[];
  /** A few examples of what a counter counted (e.g. the ids not found), by counter name. */
  readonly samples?: Readonly<Record<string, readonly string[]>>;
}

/** What a decode module's `decode` returns for one payload (see `WindowContext.decode`). */
export interface DecodedRows {
  readonly batch: RecordBatch | null;
  readonly rejects: readonly StreamReject[];
  readonly received: number;
  readonly counters?: Readonly<Record<string, number>>;
  readonly warnings?: readonly string[];
  /**
   * True: the rows are not staged on the decode thread but come back in the chunk's `batch`, for the stream to
   * complete on its own thread (e.g. text looked up by other requests) and yield to be staged.
   */
  readonly handBack?: boolean;
}

/**
 * A module that decodes payloads on a worker thread exports `decode` of this type. `head` sends a small result
 * ahead of the rows (e.g. a page's next cursor), so the stream can go on while the rows are still being built.
 */
export type DecodeFn<P = unknown, H = unknown> = (
  payload: P,
  head: (value: H) => void,
) => DecodedRows | Promise<DecodedRows>;

/**
 * A payload being decoded: its head as soon as the decoder sends it, then the chunk (rows already staged, or in
 * its `batch` when the decoder handed them back).
 */
export interface Decoding<H> {
  readonly head: Promise<H>;
  readonly chunk: Promise<ExtractChunk>;
}

/** What a stream may use during a run. */
export interface StreamContext {
  /** Talks to the API as this account (its key, its request budget). */
  readonly http: HttpClient;
  /** The account being synced: every row carries it (identity is account + key). */
  readonly account: string;
  readonly runId: string;
  /** Local clock for `_synced_at`-like columns; sync decisions use the provider's clock. */
  readonly syncedAtMs: number;
  readonly signal: AbortSignal;
}

/** What a stream may use while it extracts one window. */
export interface WindowContext extends StreamContext {
  /**
   * Runs `module`'s `decode` (a DecodeFn) on one of the engine's worker threads; the rows it returns are staged
   * for this window there, in the order `decode` was called (unless it hands them back: `DecodedRows.handBack`).
   * Payload buffers listed in `transfer` move, not copy.
   */
  decode<P, H>(module: URL, payload: P, transfer?: readonly ArrayBuffer[]): Decoding<H>;
}

/** A created-date range, YYYY-MM-DD, end exclusive; an absent end is open. */
export interface DateRange {
  readonly startDate?: string;
  readonly endDate?: string;
}

/** What the engine needs a probe to find out (it knows from the saved state what the run will be). */
export interface ProbeRequest {
  /** The run is an incremental tail: the probe asks only for records updated after this instant. */
  readonly updatedSince?: string;
  /**
   * The run starts a new pass over this range: the probe also says where the matching records of the range lie
   * (`earliest`, `latest`) and how many there are (`total`), so windows are planned where the data is.
   */
  readonly extent?: DateRange;
}

export interface ProbeResult {
  /** The provider's clock: the HTTP Date of this run's first response. */
  readonly serverDate: Date;
  /**
   * Date (YYYY-MM-DD) of the oldest record matching the stream's filters (within `extent` when one was asked
   * for); undefined when there is none.
   */
  readonly earliest?: string;
  /**
   * With `extent`: date of the newest matching record in it. Set, it vouches that the range's records lie in
   * [earliest, latest], so a pass plans no window past it. Read after `serverDate`, so a record added since is
   * inside or updated after the pass's clock, and the next incremental run asks for it.
   */
  readonly latest?: string;
  /** With `extent`: how many matching records it holds, when the API tells; 0 means none. */
  readonly total?: number;
}

/** A configured stream of a connector: bound to its settings, ready to run. */
export interface Stream {
  readonly name: string;
  readonly table: TableSchema;
  /** The settings the engine plans from (the stream's whole config is the connector's business). */
  readonly settings: BaseStreamConfig;
  /**
   * A digest of the settings that change what a stored row holds (PII modes, a time zone); undefined for the
   * defaults. Rows loaded under another fingerprint are not mixed with new ones: the run is refused unless it
   * is a full refresh.
   */
  readonly fingerprint?: string;
  /** The stream fetches records by id (`Window.ids`): `lookup` runs use it. */
  readonly lookup?: boolean;
  /**
   * A stream that follows up on rows already loaded (e.g. the recordings of loaded calls): its work is the
   * rows `sql` selects from the destination (DuckDB SQL over the tables by name; its one `?` is the account),
   * in windows of `windowSize` (`Window.items`). No probe and no watermark: the work list says what is left.
   */
  readonly workList?: { readonly sql: string; readonly windowSize: number };
  /** The decode module this stream will hand to `WindowContext.decode`: its threads start before the probe. */
  readonly decoder?: URL;
  /**
   * A cheap request that checks access and reads the provider's clock. `request.updatedSince` is set when the
   * run will be an incremental tail, so even this request asks only for changed records; `request.extent` when
   * it starts a new pass (a second request may then find the newest record).
   */
  probe(ctx: StreamContext, request?: ProbeRequest): Promise<ProbeResult>;
  /**
   * How many records match in a created-date range (one cheap request), when the API tells; undefined when it
   * does not. Optional: the engine uses it to size a new pass's windows where the data is uneven in time.
   */
  count?(ctx: StreamContext, range: DateRange): Promise<number | undefined>;
  extract(ctx: WindowContext, window: Window): AsyncIterable<ExtractChunk>;
}
