import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, describeError } from '../errors.js';
import { RequestBudget } from '../http/budget.js';
import { HttpClient } from '../http/client.js';
import { type Destination, type RunRecord, startedRun } from '../load/destination.js';
import { createDestination } from '../load/index.js';
import type { EventSink } from './events.js';
import type { BaseStreamConfig, Connector, SourceConfig, StreamContext } from './stream.js';
import type { RunSummary, StreamSummary } from './summary.js';
import { syncStream } from './sync-stream.js';

export type DestinationConfig =
  | { readonly type: 'duckdb'; readonly path: string }
  | { readonly type: 'parquet'; readonly dir: string };

/** The engine's view of a validated pipeline.yaml. */
export interface EngineConfig {
  readonly name: string;
  readonly source: SourceConfig;
  readonly streams: Readonly<Record<string, BaseStreamConfig>>;
  readonly destination: DestinationConfig;
}

export interface RunOptions {
  readonly config: EngineConfig;
  readonly connector: Connector;
  readonly emit?: EventSink;
  /** Only these streams (default: all configured). */
  readonly streams?: readonly string[];
  readonly range?: { readonly start: string; readonly end: string };
  readonly strict?: boolean;
  /** Wait for another run holding the destination instead of failing. */
  readonly wait?: boolean;
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
  const { config, connector } = o;
  const clock = o.clock ?? Date.now;
  const emit = o.emit ?? (() => {});
  const runId = newRunId(clock);
  const started = clock();
  const names = o.streams ?? Object.keys(config.streams);
  for (const name of names) {
    if (!config.streams[name])
      throw new ConfigError(`stream ${name} is not configured in pipeline ${config.name}`);
    if (!connector.streams[name]) {
      throw new ConfigError(`unknown stream ${name}; known: ${Object.keys(connector.streams).join(', ')}`);
    }
  }

  const destination = createDestination(config.destination);
  await destination.open({ wait: o.wait ?? false });
  // We hold the destination's lock, so staged files left there belong to runs that died.
  await rm(stagingRoot(config.destination), { recursive: true, force: true });
  const budget = new RequestBudget({
    concurrency: config.source.concurrency,
    requestsPerSecond: config.source.requests_per_second,
  });
  const retry = { maxRetries: config.source.max_retries, baseDelayMs: 500, maxDelayMs: 30_000 };
  const http = new HttpClient({
    baseUrl: config.source.base_url,
    headers: connector.authHeaders(config.source),
    timeoutMs: config.source.timeout_ms,
    retry,
    budget,
    onRetry: (e) => emit({ type: 'retry', ...e }),
  });
  const abort = new AbortController();
  o.signal?.addEventListener('abort', () => abort.abort(o.signal?.reason), { once: true });
  const ctx: StreamContext = {
    http,
    runId,
    syncedAtMs: clock(),
    signal: abort.signal,
    pageSize: config.source.page_size,
  };
  const record = startedRun({
    run_id: runId,
    pipeline: config.name,
    account: config.source.account,
    started_at: new Date(started),
  });

  const streams: StreamSummary[] = [];
  let error: unknown;
  try {
    // Runs still recorded as running died too (the lock is ours): they are marked failed, not left running.
    await destination.closeAbandonedRuns();
    await destination.recordRun(record);
    emit({ type: 'run-start', runId, destination: destination.description });
    for (const name of names) {
      const plugin = connector.streams[name];
      await destination.ensureTable(plugin.schema);
      streams.push(
        await syncStream({
          plugin,
          cfg: config.streams[name],
          key: { pipeline: config.name, stream: name, account: config.source.account },
          ctx,
          destination,
          stagingDir: stagingDir(config.destination, runId),
          concurrency: config.source.concurrency,
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
    pipeline: config.name,
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
    await rm(stagingRoot(config.destination), { recursive: true, force: true });
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

/** Staging files live beside the destination (same disk, cleaned per window and at the next run). */
function stagingRoot(d: DestinationConfig): string {
  return d.type === 'duckdb'
    ? path.join(path.dirname(path.resolve(d.path)), `.${path.basename(d.path)}.staging`)
    : path.join(d.dir, '.staging');
}

function stagingDir(d: DestinationConfig, runId: string): string {
  return path.join(stagingRoot(d), runId);
}
