import type { BaseStreamConfig } from '../config/schema.js';
import type { ProbeResult, Window } from '../connector/stream.js';
import { ConfigError } from '../errors.js';
import type { PassState, StreamState } from './state.js';
import { addDays, dateWindows, toDateString } from './windows.js';

/**
 * Decides what a run of one stream does, from its config, its saved state and the provider's clock.
 * Pure: no I/O, so every case is a table-driven test.
 */
export type Plan =
  | { readonly kind: 'tail'; readonly window: Window; readonly serverDate: string }
  | { readonly kind: 'lookup'; readonly windows: readonly Window[] }
  | { readonly kind: 'work'; readonly windows: readonly Window[] }
  | {
      readonly kind: 'pass';
      readonly pass: PassState;
      readonly windows: readonly Window[];
      readonly resumed: boolean;
    };

export interface PlanInput {
  readonly cfg: BaseStreamConfig;
  readonly state: StreamState;
  readonly probe: ProbeResult;
  readonly runId: string;
  /** An explicit created-date range from the command line (orchestrator partitions, backfills). */
  readonly range?: { readonly start: string; readonly end: string };
  /** Replace everything with a fresh snapshot (`run --full-refresh`), whatever `sync` says. */
  readonly fullRefresh?: boolean;
}

export function planStream({ cfg, state, probe, runId, range, fullRefresh }: PlanInput): Plan {
  const serverDate = probe.serverDate.toISOString();
  if (range) {
    if (range.start >= range.end) {
      throw new ConfigError(`--start-date ${range.start} must be before --end-date ${range.end}`);
    }
    const key = `${range.start}..${range.end}`;
    return passPlan(
      state.ranges[key] ?? newPass('range', runId, serverDate, range.start, range.end, cfg),
      state,
    );
  }
  if (cfg.sync === 'full' || fullRefresh) {
    const pass = state.pass?.kind === 'full' ? state.pass : undefined;
    return passPlan(
      pass ?? newPass('full', runId, serverDate, historyStart(cfg, probe), historyEnd(cfg, probe), cfg),
      state,
    );
  }
  if (state.pass?.kind === 'backfill') return passPlan(state.pass, state);
  const since = tailSince(cfg, state, range);
  if (since) {
    const window: Window = {
      key: `updated_since ${since}`,
      updatedSince: since,
      startDate: cfg.start_date ?? undefined,
      endDate: cfg.end_date ?? undefined,
    };
    return { kind: 'tail', window, serverDate };
  }
  return passPlan(
    newPass('backfill', runId, serverDate, historyStart(cfg, probe), historyEnd(cfg, probe), cfg),
    state,
  );
}

/** When the run will be an incremental tail: the `updated_since` it asks for (watermark - lookback). */
export function tailSince(
  cfg: BaseStreamConfig,
  state: StreamState,
  range?: PlanInput['range'],
  fullRefresh?: boolean,
): string | undefined {
  if (range || fullRefresh || cfg.sync === 'full' || state.pass || !state.watermark) return undefined;
  return new Date(Date.parse(state.watermark) - cfg.lookback_minutes * 60_000).toISOString();
}

function historyStart(cfg: BaseStreamConfig, probe: ProbeResult): string {
  return cfg.start_date ?? probe.earliest ?? toDateString(probe.serverDate.getTime());
}

/** Exclusive; one day past the provider's today so calls made while the run goes are inside a window. */
function historyEnd(cfg: BaseStreamConfig, probe: ProbeResult): string {
  return cfg.end_date ?? addDays(toDateString(probe.serverDate.getTime()), 1);
}

function newPass(
  kind: PassState['kind'],
  runId: string,
  serverDate: string,
  start: string,
  end: string,
  cfg: BaseStreamConfig,
): PassState {
  return { kind, id: runId, serverDate, start, end, windowDays: cfg.window_days, done: [] };
}

function passPlan(pass: PassState, state: StreamState): Plan {
  const done = new Set(pass.done);
  const windows = dateWindows(pass.start, pass.end, pass.windowDays).filter((w) => !done.has(w.key));
  const resumed = pass === state.pass || Object.values(state.ranges).includes(pass);
  return { kind: 'pass', pass, windows, resumed };
}

/** Ids per lookup window: a few batch requests each, committed together. */
export const LOOKUP_WINDOW_IDS = 1000;

/** A lookup of records by id: windows of ids, no date range, no state (the watermark does not move). */
export function lookupPlan(ids: readonly string[], perWindow = LOOKUP_WINDOW_IDS): Plan {
  const windows: Window[] = [];
  for (let i = 0; i < ids.length; i += perWindow) {
    const part = ids.slice(i, i + perWindow);
    windows.push({ key: `ids ${i + 1}-${i + part.length}`, ids: part });
  }
  return { kind: 'lookup', windows };
}

/** A stream's work list (rows of the destination) in windows of `size`; no state. */
export function workPlan(items: readonly Readonly<Record<string, unknown>>[], size: number): Plan {
  const windows: Window[] = [];
  for (let i = 0; i < items.length; i += size) {
    const part = items.slice(i, i + size);
    windows.push({ key: `items ${i + 1}-${i + part.length}`, items: part });
  }
  return { kind: 'work', windows };
}
