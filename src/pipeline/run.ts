import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { SourceConfig } from '../config/schema.js';
import type { Stream, StreamContext } from '../connector/stream.js';
import { describeError, errorSummary } from '../errors.js';
import { RequestBudget } from '../http/budget.js';
import { HttpClient } from '../http/client.js';
import type { RetryPolicy } from '../http/retry.js';
import { type Destination, type RunRecord, startedRun } from '../load/destination.js';
import type { TableSchema, ViewDefinition } from '../schema/table.js';
import type { WorkerPool } from '../workers/pool.js';
import { decodePoolFor } from './decode-pool.js';
import { AccountsFailedError } from './errors.js';
import type { EventSink } from './events.js';
import { newRunId } from './run-id.js';
import type { AccountFailure, RunSummary, StreamSummary } from './summary.js';
import { syncStream } from './sync-stream.js';

/** One account to sync: its label, the headers that authenticate it, its API root if not the source's. */
export interface AccountRun {
  readonly name: string;
  readonly headers: Record<string, string>;
  readonly baseUrl?: string;
}

export interface RunOptions {
  /** The pipeline's name: keys its state with each stream and account. */
  readonly pipeline: string;
  /** HTTP settings shared by every account (each gets its own client and request budget). */
  readonly source: SourceConfig;
  readonly accounts: readonly AccountRun[];
  /** What to tell a user whose credentials are refused. */
  readonly authHint: string;
  /** The streams to sync, in order, bound to their settings. */
  readonly streams: readonly Stream[];
  /** Reporting views over the tables, created or replaced by each run (every table is ensured first). */
  readonly views?: readonly ViewDefinition[];
  /** Every table the connector writes, so views can name them even when this run syncs fewer streams. */
  readonly tables?: readonly TableSchema[];
  /** Where rows land; opened (its lock taken) and closed by the run. */
  readonly destination: Destination;
  /** The run's id (default: a new one); the CLI makes it first, so even a run that fails early has one. */
  readonly runId?: string;
  readonly emit?: EventSink;
  readonly range?: { readonly start: string; readonly end: string };
  /** Replace each account's rows of every stream with a fresh snapshot. */
  readonly fullRefresh?: boolean;
  /** Fetch these records by id and merge them (streams that support lookups only); the state does not move. */
  readonly lookup?: readonly string[];
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
  /** Called with the run's summary once it is recorded, whether the run succeeded or not. */
  readonly onSummary?: (summary: RunSummary) => void;
}

/**
 * Runs a pipeline once: for every account, every stream, each window committed with its checkpoint; the run
 * recorded. An account that fails does not stop the others: they are all attempted, then the run fails
 * naming each failed account (one account's error is thrown as it is).
 */
export async function runPipeline(o: RunOptions): Promise<RunSummary> {
  const { destination } = o;
  const clock = o.clock ?? Date.now;
  const emit = o.emit ?? (() => {});
  const runId = o.runId ?? newRunId(clock);
  const started = clock();

  await destination.open({
    wait: o.wait ?? false,
    signal: o.signal,
    onWait: (holder) => emit({ type: 'lock-wait', holder }),
  });
  // We hold the destination's lock, so staged files left there belong to runs that died.
  await rm(destination.stagingRoot, { recursive: true, force: true });
  const retry: RetryPolicy = { maxRetries: o.source.max_retries, baseDelayMs: 500, maxDelayMs: 30_000 };
  const abort = new AbortController();
  o.signal?.addEventListener('abort', () => abort.abort(o.signal?.reason), { once: true });
  let pool: WorkerPool | undefined;
  const decodePool = () => {
    pool ??= decodePoolFor(o.streams, o.workers);
    return pool;
  };
  const record = startedRun({
    run_id: runId,
    pipeline: o.pipeline,
    account: o.accounts.map((a) => a.name).join(','),
    started_at: new Date(started),
  });

  const streams: StreamSummary[] = [];
  const failures: { account: string; error: unknown }[] = [];
  const http = { requests: 0, retries: 0 };
  let error: unknown;
  try {
    // Runs still recorded as running died too (the lock is ours): they are marked failed, not left running.
    await destination.closeAbandonedRuns();
    await destination.recordRun(record);
    emit({ type: 'run-start', runId, destination: destination.description });
    // Rows loaded before tables had an account column belong to the one account configured then.
    const legacy = o.accounts.length === 1 ? o.accounts[0].name : 'default';
    const tables = new Map([...(o.tables ?? []), ...o.streams.map((s) => s.table)].map((t) => [t.name, t]));
    for (const table of tables.values()) {
      const column = table.accountColumn;
      await destination.ensureTable(table, column === undefined ? undefined : { [column]: legacy });
    }
    if (o.views && o.views.length > 0 && !o.lookup) await destination.ensureViews(o.views);
    for (const account of o.accounts) {
      const client = accountClient(o, account, retry, emit);
      const ctx: StreamContext = {
        http: client,
        account: account.name,
        runId,
        syncedAtMs: clock(),
        signal: abort.signal,
      };
      try {
        for (const stream of o.lookup ? o.streams.filter((s) => s.lookup) : o.streams) {
          streams.push(
            await syncStream({
              stream,
              key: { pipeline: o.pipeline, stream: stream.name, account: account.name },
              ctx,
              destination,
              decodePool,
              stagingDir: path.join(destination.stagingRoot, runId),
              concurrency: o.source.concurrency,
              range: o.range,
              fullRefresh: o.fullRefresh,
              lookup: o.lookup,
              strict: o.strict ?? false,
              retry,
              emit,
              maxCommitBytes: o.maxCommitBytes,
            }),
          );
        }
      } catch (err) {
        failures.push({ account: account.name, error: err });
        emit({ type: 'account-failed', account: account.name, reason: describeError(err) });
        if (abort.signal.aborted) break;
      } finally {
        http.requests += client.stats.requests;
        http.retries += client.stats.retries;
        await client.close();
      }
    }
    if (failures.length === 1 && o.accounts.length === 1) error = failures[0].error;
    else if (failures.length > 0) error = new AccountsFailedError(failures);
  } catch (err) {
    error = err;
  }

  const failed: AccountFailure[] = failures.map((f) => ({ account: f.account, ...errorSummary(f.error) }));
  const summary: RunSummary = {
    status: error === undefined ? 'succeeded' : 'failed',
    run_id: runId,
    pipeline: o.pipeline,
    destination: destination.description,
    started_at: new Date(started).toISOString(),
    duration_ms: clock() - started,
    requests: http.requests,
    retries: http.retries,
    streams,
    ...(failed.length > 0 && o.accounts.length > 1 ? { failed_accounts: failed } : {}),
    ...(error === undefined ? {} : { error: errorSummary(error) }),
  };
  try {
    await rm(destination.stagingRoot, { recursive: true, force: true });
    await finish(destination, record, summary);
  } catch (finishError) {
    // The run's own failure is the one to report; a failure to record it comes second.
    throw error ?? finishError;
  }
  o.onSummary?.(summary);
  if (error !== undefined) throw error;
  return summary;
}

/** An account's own client: its key, and its own request budget (the provider limits each key). */
function accountClient(o: RunOptions, account: AccountRun, retry: RetryPolicy, emit: EventSink): HttpClient {
  const budget = new RequestBudget({
    concurrency: o.source.concurrency,
    requestsPerSecond: o.source.requests_per_second,
  });
  return new HttpClient({
    baseUrl: account.baseUrl ?? o.source.base_url,
    headers: account.headers,
    authHint: o.authHint,
    timeoutMs: o.source.timeout_ms,
    retry,
    budget,
    onRetry: (e) => emit({ type: 'retry', account: account.name, ...e }),
  });
}

async function finish(destination: Destination, record: RunRecord, summary: RunSummary) {
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
      message: summary.error?.message ?? null,
      details: { ...summary },
    });
  } finally {
    await destination.close();
  }
}
