import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { SourceConfig } from '../config/schema.js';
import type { Stream, StreamContext } from '../connector/stream.js';
import { describeError } from '../errors.js';
import { RequestBudget } from '../http/budget.js';
import { HttpClient } from '../http/client.js';
import { type Destination, type RunRecord, startedRun } from '../load/destination.js';
import { sharedPool, type WorkerPool } from '../workers/pool.js';
import { DECODE_WORKER } from './decode.js';
import type { EventSink } from './events.js';
import type { RunSummary, StreamSummary } from './summary.js';
import { syncStream } from './sync-stream.js';

export interface RunOptions {
  /** The pipeline's name: keys its state with each stream and account. */
  readonly pipeline: string;
  readonly source: SourceConfig;
  /** Headers that authenticate every request, and what to tell a user whose credentials are refused. */
  readonly auth: { readonly headers: Record<string, string>; readonly hint: string };
  /** The streams to sync, in order, bound to their settings. */
  readonly streams: readonly Stream[];
  /** Where rows land; opened (its lock taken) and closed by the run. */
  readonly destination: Destination;
  readonly emit?: EventSink;
  readonly range?: { readonly start: string; readonly end: string };
  readonly strict?: boolean;
  /** Wait for another run holding the destination instead of failing. */
  readonly wait?: boolean;
  /** Decode threads (default: one per core but one, 1 to 4). */
  readonly workers?: number;
  /** The local clock, for `_synced_at` only; tests skew it. Sync decisions use the provider's clock. */
  readonly clock?: () => number;
  readonly signal?: AbortSignal;
  /** Staged bytes per transaction (default MAX_COMMIT_BYTES); tests make it tiny to commit in many pieces. */
  readonly maxCommitBytes?: number;
}

export function newRunId(clock: () => number = Date.now): string {
  const stamp = new Date(clock()).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Runs a pipeline once: every stream, each window committed with its checkpoint, the run recorded. */
export async function runPipeline(o: RunOptions): Promise<RunSummary> {
  const { source, destination } = o;
  const clock = o.clock ?? Date.now;
  const emit = o.emit ?? (() => {});
  const runId = newRunId(clock);
  const started = clock();

  await destination.open({ wait: o.wait ?? false });
  // We hold the destination's lock, so staged files left there belong to runs that died.
  await rm(destination.stagingRoot, { recursive: true, force: true });
  const budget = new RequestBudget({
    concurrency: source.concurrency,
    requestsPerSecond: source.requests_per_second,
  });
  const retry = { maxRetries: source.max_retries, baseDelayMs: 500, maxDelayMs: 30_000 };
  const http = new HttpClient({
    baseUrl: source.base_url,
    headers: o.auth.headers,
    authHint: o.auth.hint,
    timeoutMs: source.timeout_ms,
    retry,
    budget,
    onRetry: (e) => emit({ type: 'retry', ...e }),
  });
  const abort = new AbortController();
  o.signal?.addEventListener('abort', () => abort.abort(o.signal?.reason), { once: true });
  const ctx: StreamContext = { http, runId, syncedAtMs: clock(), signal: abort.signal };
  const preload = o.streams.flatMap((s) => (s.decoder ? [s.decoder.href] : []));
  let pool: WorkerPool | undefined;
  const decodePool = () => {
    pool ??= sharedPool(DECODE_WORKER, o.workers, { preload });
    return pool;
  };
  const record = startedRun({
    run_id: runId,
    pipeline: o.pipeline,
    account: source.account,
    started_at: new Date(started),
  });

  const streams: StreamSummary[] = [];
  let error: unknown;
  try {
    // Runs still recorded as running died too (the lock is ours): they are marked failed, not left running.
    await destination.closeAbandonedRuns();
    await destination.recordRun(record);
    emit({ type: 'run-start', runId, destination: destination.description });
    for (const stream of o.streams) {
      await destination.ensureTable(stream.table);
      streams.push(
        await syncStream({
          stream,
          key: { pipeline: o.pipeline, stream: stream.name, account: source.account },
          ctx,
          destination,
          decodePool,
          stagingDir: path.join(destination.stagingRoot, runId),
          concurrency: source.concurrency,
          range: o.range,
          strict: o.strict ?? false,
          retry,
          emit,
          maxCommitBytes: o.maxCommitBytes,
        }),
      );
    }
  } catch (err) {
    error = err;
  }

  const summary: RunSummary = {
    runId,
    pipeline: o.pipeline,
    destination: destination.description,
    status: error === undefined ? 'succeeded' : 'failed',
    startedAt: new Date(started).toISOString(),
    durationMs: clock() - started,
    requests: http.stats.requests,
    retries: http.stats.retries,
    streams,
    ...(error === undefined ? {} : { error: describeError(error) }),
  };
  try {
    await rm(destination.stagingRoot, { recursive: true, force: true });
    await finish(destination, http, record, summary);
  } catch (finishError) {
    // The run's own failure is the one to report; a failure to record it comes second.
    throw error ?? finishError;
  }
  if (error !== undefined) throw error;
  return summary;
}

async function finish(destination: Destination, http: HttpClient, record: RunRecord, summary: RunSummary) {
  try {
    await destination.recordRun({
      ...record,
      finished_at: new Date(),
      status: summary.status,
      rows: summary.streams.reduce((n, s) => n + s.rows, 0),
      rejected: summary.streams.reduce((n, s) => n + s.rejected, 0),
      requests: summary.requests,
      retries: summary.retries,
      watermark: summary.streams.find((s) => s.watermark)?.watermark ?? null,
      message: summary.error ?? null,
      details: { streams: summary.streams, durationMs: summary.durationMs },
    });
  } finally {
    await http.close();
    await destination.close();
  }
}
