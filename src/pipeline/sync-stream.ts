import path from 'node:path';
import { DataError, describeError, SyncError } from '../errors.js';
import { backoffDelay, isRetryable, type RetryPolicy } from '../http/retry.js';
import type { Destination, RejectRow, StateKey } from '../load/destination.js';
import { type StagedFile, Stager } from '../load/staging.js';
import type { EventSink } from './events.js';
import { commitPieces, takeGroup } from './group-commit.js';
import { type Plan, planStream, tailSince } from './plan.js';
import { EMPTY_STATE, type PassState, parseState, type StreamState, toStateValue } from './state.js';
import type { BaseStreamConfig, StreamContext, StreamPlugin, Window } from './stream.js';
import type { Mismatch, StreamSummary } from './summary.js';

export interface SyncStreamOptions {
  readonly plugin: StreamPlugin;
  readonly cfg: BaseStreamConfig;
  readonly key: StateKey;
  readonly ctx: StreamContext;
  readonly destination: Destination;
  readonly stagingDir: string;
  readonly concurrency: number;
  readonly range?: { readonly start: string; readonly end: string };
  readonly strict: boolean;
  /** A window that fails with a retryable error mid-stream (e.g. a dropped export) starts over this often. */
  readonly retry: RetryPolicy;
  readonly emit: EventSink;
  /** Staged bytes per transaction; a bigger group commits in pieces (default MAX_COMMIT_BYTES). */
  readonly maxCommitBytes?: number;
}

/**
 * One stream, one run: probe the provider's clock, plan windows from the saved state, fetch windows
 * concurrently, and commit each window's rows with its checkpoint in one atomic step.
 */
export async function syncStream(o: SyncStreamOptions): Promise<StreamSummary> {
  const { plugin, cfg, key, destination } = o;
  const where = `${key.pipeline}/${key.stream}/${key.account}`;
  let state = parseState(await destination.readState(key), `sync state of ${where}`);
  plugin.prepare?.(cfg);
  const probe = await plugin.probe(o.ctx, cfg, tailSince(cfg, state, o.range));
  const plan = planStream({ cfg, state, probe, runId: o.ctx.runId, range: o.range });

  const pass = plan.kind === 'pass' ? plan.pass : undefined;
  const windows = plan.kind === 'pass' ? plan.windows : [plan.window];
  const mode = plan.kind === 'tail' ? 'incremental' : plan.pass.kind;
  const snapshot = pass?.kind === 'full' ? pass.id : undefined;
  if (snapshot) await destination.beginSnapshot(plugin.schema, snapshot);
  o.emit({
    type: 'stream-start',
    stream: plugin.name,
    mode,
    windows: windows.length,
    skipped: pass ? pass.done.length : 0,
    serverDate: probe.serverDate.toISOString(),
  });

  const done = new Set(pass?.done ?? []);
  const mismatches: Mismatch[] = [];
  const totals = { rows: 0, received: 0, rejected: 0 };
  /** Rejects of the windows staged so far (committed or not): `max_rejected` counts for the whole run. */
  let rejectedSoFar = 0;
  // One commit at a time. Windows that finish while a commit runs wait in `queue` and then commit
  // together in one transaction (group commit): a commit costs tens of ms whatever its size, so with many
  // parallel windows one-by-one commits would become the bottleneck.
  interface Pending {
    readonly w: Window;
    /** Rows staged for the window: a group stops growing past MAX_GROUP_ROWS. */
    readonly rows: number;
    readonly files: readonly StagedFile[];
    readonly rejects: readonly RejectRow[];
    readonly settle: (err?: unknown) => void;
  }
  const queue: Pending[] = [];
  let committing = false;
  const drain = async () => {
    if (committing) return;
    committing = true;
    while (queue.length > 0) {
      const group = takeGroup(queue);
      try {
        for (const p of group) done.add(p.w.key);
        const nextState = afterWindow(state, plan, done);
        const pieces = commitPieces(
          group.flatMap((p) => p.files),
          o.maxCommitBytes,
        );
        let rows = 0;
        for (const [i, piece] of pieces.entries()) {
          const last = i === pieces.length - 1;
          const committed = await destination.commit({
            schema: plugin.schema,
            files: piece.map((f) => f.file),
            rejects: last ? group.flatMap((p) => p.rejects) : [],
            state: last ? { key, value: toStateValue(nextState) } : undefined,
            snapshot,
          });
          rows += committed.rows;
        }
        state = nextState;
        totals.rows += rows;
        for (const p of group) p.settle();
      } catch (err) {
        for (const p of group) done.delete(p.w.key);
        for (const p of group) p.settle(err);
      }
    }
    committing = false;
  };
  const commitWindow = (w: Window, stager: Stager, rejects: readonly RejectRow[]) =>
    new Promise<void>((resolve, reject) => {
      const settle = (err?: unknown) => (err ? reject(err) : resolve());
      const files = stager.staged;
      const rows = files.reduce((sum, f) => sum + f.rows, 0);
      queue.push({ w, rows, files, rejects, settle });
      void drain();
    });

  // A window's fetch slot is free once its rows are staged: its commit goes on behind the next fetches
  // (staged files are on disk, so waiting costs no memory). At most `concurrency` staged windows wait for
  // their commit; past that, fetching waits for the commits to catch up.
  const awaitingCommit = new Set<Promise<void>>();
  let commitFailure: unknown;
  const handOff = async (w: Window, staged: StagedWindow) => {
    const settled = commitWindow(w, staged.stager, staged.rejects)
      .then(() => {
        const r = staged.result;
        totals.received += r.received;
        totals.rejected += r.rejected;
        if (r.total !== undefined && r.total !== r.received) {
          mismatches.push({ window: w.key, expected: r.total, loaded: r.rows });
        }
        o.emit({ type: 'window-done', stream: plugin.name, window: w.key, ...r });
      })
      .catch((err: unknown) => {
        commitFailure ??= windowError(plugin.name, w, err);
      })
      .finally(() => {
        awaitingCommit.delete(settled);
        return staged.stager.cleanup();
      });
    awaitingCommit.add(settled);
    while (awaitingCommit.size > o.concurrency && commitFailure === undefined)
      await Promise.race(awaitingCommit);
  };

  const runWindow = async (w: Window, index: number): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      let staged: StagedWindow;
      try {
        staged = await stageWindow(w, index, attempt);
      } catch (err) {
        // Requests are retried in the HTTP layer; this covers a stream that breaks after it started.
        if (!isRetryable(err) || attempt > o.retry.maxRetries || o.ctx.signal.aborted)
          throw windowError(plugin.name, w, err);
        const delayMs = backoffDelay(attempt, o.retry);
        o.emit({
          type: 'retry',
          endpoint: `${plugin.name} window ${w.key}`,
          attempt,
          delayMs,
          reason: describeError(err),
        });
        await new Promise((r) => setTimeout(r, delayMs));
        continue;
      }
      return handOff(w, staged);
    }
  };

  /** Fetches a window and stages its rows; the stager is cleaned up here only if this fails. */
  const stageWindow = async (w: Window, index: number, attempt: number): Promise<StagedWindow> => {
    const stager = new Stager(path.join(o.stagingDir, `${plugin.name}-${index}-${attempt}`));
    try {
      const rejects: RejectRow[] = [];
      let received = 0;
      let total: number | undefined;
      for await (const chunk of plugin.extract(o.ctx, cfg, w)) {
        if (chunk.batch && chunk.batch.numRows > 0) await stager.write(chunk.batch);
        if (chunk.parquet && chunk.parquet.rows > 0)
          await stager.writeParquet(chunk.parquet.bytes, chunk.parquet.rows);
        for (const r of chunk.rejects) rejects.push({ ...r, stream: plugin.name, run_id: o.ctx.runId });
        received += chunk.received;
        total ??= chunk.total;
        o.emit({ type: 'chunk', stream: plugin.name, window: w.key, received: chunk.received });
      }
      checkRejected(cfg, rejects.length, received, rejectedSoFar, w);
      rejectedSoFar += rejects.length;
      if (o.strict && total !== undefined && total !== received) {
        throw new DataError(
          `reconciliation failed (--strict): the API reported ${total} records, ${received} were received`,
        );
      }
      const result = { rows: received - rejects.length, received, rejected: rejects.length, total };
      return { stager, rejects, result };
    } catch (err) {
      await stager.cleanup();
      throw err;
    }
  };

  try {
    await runPool(windows, o.concurrency, runWindow, o.ctx.signal, () => commitFailure !== undefined);
  } finally {
    // Even when a fetch failed: commits still running read staged files, and the run's end removes them.
    await Promise.all(awaitingCommit);
  }
  if (commitFailure !== undefined) throw commitFailure;

  const final = finalState(state, plan, probe.serverDate.toISOString());
  if (snapshot) {
    await destination.publishSnapshot(plugin.schema, snapshot, { key, value: toStateValue(final) });
  } else {
    await destination.commit({
      schema: plugin.schema,
      files: [],
      rejects: [],
      state: { key, value: toStateValue(final) },
    });
  }
  o.emit({ type: 'stream-done', stream: plugin.name, ...totals, watermark: final.watermark });
  return {
    stream: plugin.name,
    mode,
    windows: windows.length,
    windowsSkipped: pass ? pass.done.length : 0,
    ...totals,
    watermark: final.watermark,
    mismatches,
  };
}

/** A window fetched and staged, waiting for its commit. */
interface StagedWindow {
  readonly stager: Stager;
  readonly rejects: readonly RejectRow[];
  readonly result: { rows: number; received: number; rejected: number; total: number | undefined };
}

/** The state to store with a window's rows: the pass with this window checked off. */
function afterWindow(state: StreamState, plan: Plan, done: ReadonlySet<string>): StreamState {
  if (plan.kind === 'tail') return state;
  const pass: PassState = { ...plan.pass, done: [...done].sort() };
  if (pass.kind === 'range') return { ...state, ranges: { ...state.ranges, [rangeKey(pass)]: pass } };
  return { ...state, pass };
}

/** The state once every window is in: the watermark moves to the provider's clock at the pass's start. */
function finalState(state: StreamState, plan: Plan, serverDate: string): StreamState {
  if (plan.kind === 'tail') return { ...state, watermark: serverDate };
  const pass = plan.pass;
  if (pass.kind === 'range') {
    const { [rangeKey(pass)]: _finished, ...ranges } = state.ranges;
    return { ...state, ranges };
  }
  return { ...EMPTY_STATE, ranges: state.ranges, watermark: pass.serverDate };
}

function rangeKey(pass: PassState): string {
  return `${pass.start}..${pass.end}`;
}

/** `max_rejected`: a count (>= 1) of rejects for the run, or a fraction (< 1) of a window's records. */
function checkRejected(cfg: BaseStreamConfig, rejected: number, received: number, before: number, w: Window) {
  if (rejected === 0) return;
  const max = cfg.max_rejected;
  const tooMany = max < 1 ? rejected / Math.max(received, 1) > max : before + rejected > max;
  if (tooMany) {
    const limit = max < 1 ? `${max * 100}% of records` : `${max} records`;
    throw new DataError(
      `${rejected} of ${received} records rejected in window ${w.key}, over max_rejected (${limit}); nothing of the window was committed. See the reasons by running with a higher max_rejected and querying _rejected`,
    );
  }
}

function windowError(stream: string, w: Window, err: unknown): Error {
  if (err instanceof SyncError && err.message.includes(w.key)) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = err instanceof SyncError ? err.code : 'CS_WINDOW';
  return new SyncError(code, `${stream} window ${w.key}: ${message}`, {
    cause: err,
    context: { window: w.key },
  });
}

/**
 * Runs `work` over items with at most `limit` in flight; the first failure stops new work and is rethrown.
 * `stopped` says that work failed elsewhere (a commit): no new item starts, and the caller reports why.
 */
async function runPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
  signal: AbortSignal,
  stopped: () => boolean,
): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && !stopped() && !signal.aborted && next < items.length) {
      const i = next++;
      try {
        await work(items[i], i);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
  if (signal.aborted) throw new SyncError('CS_ABORTED', 'run aborted');
}
