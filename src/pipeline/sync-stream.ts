import type { ProbeResult, Stream, StreamContext } from '../connector/stream.js';
import { ConfigError, describeError } from '../errors.js';
import type { RetryPolicy } from '../http/retry.js';
import { type Destination, type StateKey, snapshotIdFor } from '../load/destination.js';
import type { WorkerPool } from '../workers/pool.js';
import { tooManyRejectedIn, windowError } from './errors.js';
import type { EventSink } from './events.js';
import { GroupCommitter } from './group-committer.js';
import { intentOf, lookupPlan, type Plan, planStream, probeRequestOf, workPlan } from './plan.js';
import { runLimited } from './run-limited.js';
import { EMPTY_STATE, type PassState, parseState, type StreamState, toStateValue } from './state.js';
import type { Mismatch, StreamSummary } from './summary.js';
import { newPassLayout } from './survey.js';
import { addCounts, addSamples, type StagedWindow, WindowFetcher } from './window-fetcher.js';

export interface SyncStreamOptions {
  readonly stream: Stream;
  readonly key: StateKey;
  readonly ctx: StreamContext;
  readonly destination: Destination;
  readonly decodePool: () => WorkerPool;
  readonly stagingDir: string;
  readonly concurrency: number;
  readonly range?: { readonly start: string; readonly end: string };
  /** Replace the stream's rows of this account with a fresh snapshot. */
  readonly fullRefresh?: boolean;
  /** Fetch these records by id instead (the stream must support lookups); the state does not move. */
  readonly lookup?: readonly string[];
  readonly strict: boolean;
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
  const { stream, key, destination } = o;
  const where = `${key.pipeline}/${key.stream}/${key.account}`;
  const stored = parseState(await destination.readState(key), `sync state of ${where}`);
  const state = checkFingerprint(stored, stream, where, o.fullRefresh === true);
  if (stream.decoder) o.decodePool().warm();
  const { probe, plan } = await planRun(o, state);

  const pass = plan.kind === 'pass' ? plan.pass : undefined;
  const windows = plan.kind === 'tail' ? [plan.window] : plan.windows;
  const mode =
    plan.kind === 'tail'
      ? 'incremental'
      : plan.kind === 'pass'
        ? plan.pass.kind
        : plan.kind === 'work'
          ? 'enrich'
          : 'lookup';
  const snapshot = pass?.kind === 'full' || pass?.snapshot ? snapshotIdFor(key.account, pass.id) : undefined;
  if (snapshot) await destination.beginSnapshot(stream.table, snapshot);
  o.emit({
    type: 'stream-start',
    stream: stream.name,
    account: key.account,
    mode,
    windows: windows.length,
    skipped: pass ? pass.done.length : 0,
    serverDate: probe.serverDate.toISOString(),
  });

  // Lookups and work lists write no state: only date passes and tails checkpoint.
  const stateful = plan.kind === 'tail' || plan.kind === 'pass' ? plan : undefined;
  const fetcher = new WindowFetcher(o);
  const committer = new GroupCommitter(
    {
      destination,
      table: stream.table,
      key,
      snapshot,
      checkpoint: (done) => (stateful ? toStateValue(afterWindows(state, stateful, done)) : undefined),
      maxCommitBytes: o.maxCommitBytes,
    },
    pass?.done,
  );
  const mismatches: Mismatch[] = [];
  const totals = { received: 0, rejected: 0 };
  const counters: Record<string, number> = {};
  const warnings = new Set<string>();
  const samples: Record<string, string[]> = {};

  // A window's fetch slot is free once its rows are staged: its commit goes on behind the next fetches
  // (staged files are on disk, so waiting costs no memory). At most `concurrency` staged windows wait for
  // their commit; past that, fetching waits for the commits to catch up.
  const awaitingCommit = new Set<Promise<void>>();
  let commitFailure: unknown;
  const handOff = async (staged: StagedWindow) => {
    const { window: w, result: r } = staged;
    const settled = committer
      .commit(w.key, staged.stager.staged, staged.rejects)
      .then(() => {
        totals.received += r.received;
        totals.rejected += r.rejected;
        addCounts(counters, r.counters);
        for (const [name, values] of Object.entries(r.samples)) addSamples(samples, name, values);
        for (const message of r.warnings) {
          if (warnings.has(message)) continue;
          warnings.add(message);
          o.emit({ type: 'warning', stream: stream.name, account: key.account, message });
        }
        if (r.total !== undefined && r.total !== r.received) {
          mismatches.push({ window: w.key, expected: r.total, loaded: r.rows });
        }
        o.emit({ type: 'window-done', stream: stream.name, window: w.key, ...r });
      })
      .catch((err: unknown) => {
        commitFailure ??= windowError(stream.name, w.key, err);
      })
      .finally(() => {
        awaitingCommit.delete(settled);
        return staged.stager.cleanup();
      });
    awaitingCommit.add(settled);
    while (awaitingCommit.size > o.concurrency && commitFailure === undefined)
      await Promise.race(awaitingCommit);
  };

  try {
    await runLimited(
      windows,
      o.concurrency,
      async (w, index) => handOff(await fetcher.fetch(w, index)),
      o.ctx.signal,
      () => commitFailure !== undefined,
    );
  } catch (err) {
    await Promise.all(awaitingCommit);
    await keepRejects(o, err);
    throw err;
  } finally {
    // Even when a fetch failed: commits still running read staged files, and the run's end removes them.
    await Promise.all(awaitingCommit);
  }
  if (commitFailure !== undefined) throw commitFailure;

  let watermark = state.watermark;
  if (stateful) {
    const final = finalState(state, stateful, probe.serverDate.toISOString());
    watermark = final.watermark;
    if (snapshot) {
      await destination.publishSnapshot(
        stream.table,
        snapshot,
        { key, value: toStateValue(final) },
        key.account,
      );
    } else {
      await destination.commit({
        schema: stream.table,
        files: [],
        rejects: [],
        state: { key, value: toStateValue(final) },
      });
    }
  }
  const rows = committer.rows;
  const { account } = key;
  o.emit({
    type: 'stream-done',
    stream: stream.name,
    account,
    rows,
    rejected: totals.rejected,
    watermark,
    counters,
  });
  return {
    stream: stream.name,
    account,
    mode,
    rows,
    ...totals,
    watermark,
    windows: windows.length,
    windows_skipped: pass ? pass.done.length : 0,
    mismatches,
    counters,
    warnings: [...warnings],
    samples,
  };
}

/** The run's plan and the probe it was made from. */
async function planRun(
  o: SyncStreamOptions,
  state: StreamState,
): Promise<{ probe: ProbeResult; plan: Plan }> {
  const { stream } = o;
  // A lookup asks for given ids, a work list for given rows: no clock, no history, so no probe.
  if (o.lookup) return { probe: { serverDate: new Date() }, plan: lookupPlan(o.lookup) };
  if (stream.workList) {
    const items = await o.destination.query(stream.workList.sql, [o.key.account]);
    return { probe: { serverDate: new Date() }, plan: workPlan(items, stream.workList.windowSize) };
  }
  const intent = intentOf({ cfg: stream.settings, state, range: o.range, fullRefresh: o.fullRefresh });
  const probe = await stream.probe(o.ctx, probeRequestOf(intent));
  const count = stream.count?.bind(stream);
  const layout =
    intent.kind === 'start'
      ? await newPassLayout({
          cfg: stream.settings,
          bounds: intent.bounds,
          probe,
          concurrency: o.concurrency,
          count: count && ((range) => count(o.ctx, range)),
        })
      : undefined;
  const plan = planStream({ intent, probe, runId: o.ctx.runId, layout });
  return { probe, plan: await withLoadTarget(plan, o.destination, stream.table, o.key.account) };
}

/**
 * Rows loaded under other settings (PII modes, a time zone) must not be mixed with new ones: such a run is
 * refused, unless it replaces them all (a full refresh, or `sync: full`), which starts its pass afresh.
 */
function checkFingerprint(
  state: StreamState,
  stream: Stream,
  where: string,
  fullRefresh: boolean,
): StreamState {
  const fingerprint = stream.fingerprint ?? null;
  if (state.fingerprint === fingerprint) return state;
  const replacing = fullRefresh || stream.settings.sync === 'full';
  const loaded = state.watermark !== null || state.pass !== null || Object.keys(state.ranges).length > 0;
  if (loaded && !replacing) {
    throw new ConfigError(
      `${where}: the stream's settings that change stored rows (e.g. pii, timezone) differ from those its rows were loaded with; run with --full-refresh to reload them under the new settings, or restore the old ones`,
    );
  }
  // A pass begun under the old settings would mix both: the replacing pass starts over.
  return { ...state, pass: null, fingerprint };
}

/**
 * A new backfill of an account that has no rows yet loads into a snapshot, published when the pass ends: its
 * commits only append, with no merge against the table, and a key fetched twice is resolved once, at publish.
 * Until then readers see no half-loaded table, and a killed backfill resumes into the same snapshot. A backfill
 * into rows already there (a state reset) merges each commit, as a tail does. The choice is made once per
 * pass and kept in its state, so a resumed pass goes on the way it began.
 */
async function withLoadTarget(
  plan: Plan,
  destination: Destination,
  table: Stream['table'],
  account: string,
): Promise<Plan> {
  if (plan.kind !== 'pass' || plan.pass.kind !== 'backfill' || plan.resumed) return plan;
  const snapshot = !(await destination.hasRows(table, account));
  return { ...plan, pass: { ...plan.pass, snapshot } };
}

/**
 * The state to store with a group of windows: the pass with every committed window checked off. Only the pass
 * changes while a stream runs, so it is a function of the state the run started from.
 */
function afterWindows(
  state: StreamState,
  plan: Extract<Plan, { kind: 'tail' | 'pass' }>,
  done: ReadonlySet<string>,
): StreamState {
  if (plan.kind === 'tail') return state;
  const pass: PassState = { ...plan.pass, done: [...done].sort() };
  if (pass.kind === 'range') return { ...state, ranges: { ...state.ranges, [rangeKey(pass)]: pass } };
  return { ...state, pass };
}

/** The state once every window is in: the watermark moves to the provider's clock at the pass's start. */
function finalState(
  state: StreamState,
  plan: Extract<Plan, { kind: 'tail' | 'pass' }>,
  serverDate: string,
): StreamState {
  if (plan.kind === 'tail') return { ...state, watermark: serverDate };
  const pass = plan.pass;
  if (pass.kind === 'range') {
    const { [rangeKey(pass)]: _finished, ...ranges } = state.ranges;
    return { ...state, ranges };
  }
  return { ...EMPTY_STATE, ranges: state.ranges, watermark: pass.serverDate, fingerprint: state.fingerprint };
}

function rangeKey(pass: PassState): string {
  return `${pass.start}..${pass.end}`;
}

/**
 * A window refused for too many rejects commits nothing, but its rejects are written to `_rejected` (no rows,
 * no checkpoint), so the reasons are where a user looks for them. A failure to write them is only logged: the
 * window's own error is the one to report.
 */
async function keepRejects(o: SyncStreamOptions, err: unknown): Promise<void> {
  const refused = tooManyRejectedIn(err);
  if (!refused) return;
  try {
    await o.destination.commit({ schema: o.stream.table, files: [], rejects: [...refused.rejects] });
  } catch (writeErr) {
    o.emit({
      type: 'warning',
      stream: o.stream.name,
      account: o.ctx.account,
      message: `could not keep the rejected records in _rejected: ${describeError(writeErr)}`,
    });
  }
}
