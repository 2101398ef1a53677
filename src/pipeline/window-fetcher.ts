import path from 'node:path';
import type { ExtractChunk, Stream, StreamContext, Window } from '../connector/stream.js';
import { DataError, describeError } from '../errors.js';
import { backoffDelay, isRetryable, type RetryPolicy } from '../http/retry.js';
import type { RejectRow } from '../load/destination.js';
import { Stager } from '../load/staging.js';
import type { WorkerPool } from '../workers/pool.js';
import { windowDecoder } from './decode.js';
import { TooManyRejectedError, windowError } from './errors.js';
import type { EventSink } from './events.js';

/** What a window brought in; `total` is the API's own count when it tells one. */
export interface WindowResult {
  readonly rows: number;
  readonly received: number;
  readonly rejected: number;
  readonly total: number | undefined;
  readonly counters: Readonly<Record<string, number>>;
  readonly warnings: readonly string[];
  readonly samples: Readonly<Record<string, readonly string[]>>;
}

/** A window fetched and staged, waiting for its commit. */
export interface StagedWindow {
  readonly window: Window;
  readonly stager: Stager;
  readonly rejects: readonly RejectRow[];
  readonly result: WindowResult;
}

export interface WindowFetcherOptions {
  readonly stream: Stream;
  readonly ctx: StreamContext;
  /** The decode threads, started on first use. */
  readonly decodePool: () => WorkerPool;
  /** This run's staging directory for the stream's windows. */
  readonly stagingDir: string;
  /** Fail a window whose record count differs from the API's total instead of committing it. */
  readonly strict: boolean;
  /** A window that fails with a retryable error mid-stream (e.g. a dropped export) starts over this often. */
  readonly retry: RetryPolicy;
  readonly emit: EventSink;
}

/**
 * Fetches one window of a stream into staging files: every chunk staged in fetch order, rejects kept, the
 * reject limit and (with --strict) the API's total checked before anything of it can be committed.
 */
export class WindowFetcher {
  /** Rejects of the windows staged so far (committed or not): `max_rejected` counts for the whole run. */
  private rejectedSoFar = 0;

  constructor(private readonly o: WindowFetcherOptions) {}

  /** Fetches and stages `w`, starting over on a retryable failure; a failure is a WindowError. */
  async fetch(w: Window, index: number): Promise<StagedWindow> {
    const { stream, retry, ctx } = this.o;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.stage(w, index, attempt);
      } catch (err) {
        // Requests are retried in the HTTP layer; this covers a stream that breaks after it started.
        if (!isRetryable(err) || attempt > retry.maxRetries || ctx.signal.aborted)
          throw windowError(stream.name, w.key, err);
        const delayMs = backoffDelay(attempt, retry);
        this.o.emit({
          type: 'retry',
          endpoint: `${stream.name} window ${w.key}`,
          attempt,
          delayMs,
          reason: describeError(err),
        });
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
  }

  /** One attempt; its staging files are removed here only if it fails. */
  private async stage(w: Window, index: number, attempt: number): Promise<StagedWindow> {
    const { stream, ctx } = this.o;
    const stager = new Stager(path.join(this.o.stagingDir, `${stream.name}-${index}-${attempt}`));
    try {
      const rejects: RejectRow[] = [];
      let received = 0;
      let total: number | undefined;
      const counters: Record<string, number> = {};
      const warnings = new Set<string>();
      const samples: Record<string, string[]> = {};
      const windowCtx = { ...ctx, decode: windowDecoder(this.o.decodePool(), stager) };
      for await (const chunk of stream.extract(windowCtx, w)) {
        await stageChunk(stager, chunk);
        for (const r of chunk.rejects)
          rejects.push({ ...r, stream: stream.name, run_id: ctx.runId, account: ctx.account });
        received += chunk.received;
        total ??= chunk.total;
        addCounts(counters, chunk.counters ?? {});
        for (const message of chunk.warnings ?? []) warnings.add(message);
        for (const [name, values] of Object.entries(chunk.samples ?? {})) addSamples(samples, name, values);
        this.o.emit({ type: 'chunk', stream: stream.name, window: w.key, received: chunk.received });
      }
      checkRejected(stream.settings.max_rejected, rejects, received, this.rejectedSoFar, w);
      this.rejectedSoFar += rejects.length;
      if (this.o.strict && total !== undefined && total !== received) {
        throw new DataError(
          `reconciliation failed (--strict): the API reported ${total} records, ${received} were received`,
        );
      }
      const result = {
        rows: received - rejects.length,
        received,
        rejected: rejects.length,
        total,
        counters,
        warnings: [...warnings],
        samples,
      };
      return { window: w, stager, rejects, result };
    } catch (err) {
      await stager.cleanup();
      throw err;
    }
  }
}

async function stageChunk(stager: Stager, chunk: ExtractChunk): Promise<void> {
  if (chunk.batch && chunk.batch.numRows > 0) await stager.write(chunk.batch);
}

/** `max_rejected`: a count (>= 1) of rejects for the run, or a fraction (< 1) of a window's records. */
export function checkRejected(
  max: number,
  rejects: readonly RejectRow[],
  received: number,
  before: number,
  w: Window,
) {
  const rejected = rejects.length;
  if (rejected === 0) return;
  const tooMany = max < 1 ? rejected / Math.max(received, 1) > max : before + rejected > max;
  if (tooMany) {
    const limit = max === 0 ? 'none allowed' : max < 1 ? `${max * 100}% of records` : `${max} records`;
    const first = rejects[0];
    const at = first.line === null ? first.source : `${first.source} line ${first.line}`;
    throw new TooManyRejectedError(
      `${rejected} of ${received} records rejected in window ${w.key}, over max_rejected (${limit}); nothing of the window was committed. The rejected records are in _rejected (run ${first.run_id}); the first: ${at}: ${first.reason}`,
      rejects,
      { window: w.key },
    );
  }
}

/** Adds each of `counts` to the counter of its name. */
export function addCounts(into: Record<string, number>, counts: Readonly<Record<string, number>>): void {
  for (const [name, n] of Object.entries(counts)) into[name] = (into[name] ?? 0) + n;
}

/** How many examples a counter keeps. */
export const MAX_SAMPLES = 10;

export function addSamples(into: Record<string, string[]>, name: string, values: readonly string[]): void {
  into[name] ??= [];
  const kept = into[name];
  for (const v of values) {
    if (kept.length >= MAX_SAMPLES) return;
    kept.push(v);
  }
}
