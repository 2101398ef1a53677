import type { BaseStreamConfig } from '../config/schema.js';
import type { DateRange, ProbeRequest, ProbeResult, Window } from '../connector/stream.js';
import { ConfigError } from '../errors.js';
import { type PassState, passWindows, type StreamState } from './state.js';
import type { PassLayout } from './survey.js';

/**
 * Decides what a run of one stream does, from its config, its saved state and the provider's clock.
 * Pure: no I/O, so every case is a table-driven test. The I/O a new pass needs to place its windows (counts
 * of records) is survey.ts's.
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

/**
 * What a run will do, known from config and state before any request: follow the incremental tail, resume
 * an unfinished pass, or start a pass over some bounds (then the probe finds where in them the records are).
 */
export type Intent =
  | { readonly kind: 'tail'; readonly window: Window }
  | { readonly kind: 'resume'; readonly pass: PassState }
  | { readonly kind: 'start'; readonly pass: PassState['kind']; readonly bounds: DateRange };

export interface IntentInput {
  readonly cfg: BaseStreamConfig;
  readonly state: StreamState;
  /** An explicit created-date range from the command line (orchestrator partitions, backfills). */
  readonly range?: { readonly start: string; readonly end: string };
  /** Replace everything with a fresh snapshot (`run --full-refresh`), whatever `sync` says. */
  readonly fullRefresh?: boolean;
}

export function intentOf({ cfg, state, range, fullRefresh }: IntentInput): Intent {
  if (range) {
    if (range.start >= range.end) {
      throw new ConfigError(`--start-date ${range.start} must be before --end-date ${range.end}`);
    }
    const pass = state.ranges[`${range.start}..${range.end}`];
    if (pass) return { kind: 'resume', pass };
    return { kind: 'start', pass: 'range', bounds: { startDate: range.start, endDate: range.end } };
  }
  const bounds = { startDate: cfg.start_date ?? undefined, endDate: cfg.end_date ?? undefined };
  if (cfg.sync === 'full' || fullRefresh) {
    if (state.pass?.kind === 'full') return { kind: 'resume', pass: state.pass };
    return { kind: 'start', pass: 'full', bounds };
  }
  if (state.pass?.kind === 'backfill') return { kind: 'resume', pass: state.pass };
  if (!state.pass && state.watermark) {
    const since = new Date(Date.parse(state.watermark) - cfg.lookback_minutes * 60_000).toISOString();
    return {
      kind: 'tail',
      window: {
        key: `updated_since ${since}`,
        updatedSince: since,
        startDate: bounds.startDate,
        endDate: bounds.endDate,
      },
    };
  }
  return { kind: 'start', pass: 'backfill', bounds };
}

/** What the probe must find out for a run: a tail asks only for changes; a new pass, where its records lie. */
export function probeRequestOf(intent: Intent): ProbeRequest {
  if (intent.kind === 'tail') return { updatedSince: intent.window.updatedSince };
  if (intent.kind === 'start') return { extent: intent.bounds };
  return {};
}

export interface PlanInput {
  readonly intent: Intent;
  readonly probe: ProbeResult;
  readonly runId: string;
  /** A new pass's range and windows (survey.ts); required when the intent is to start one. */
  readonly layout?: PassLayout;
}

export function planStream({ intent, probe, runId, layout }: PlanInput): Plan {
  const serverDate = probe.serverDate.toISOString();
  if (intent.kind === 'tail') return { kind: 'tail', window: intent.window, serverDate };
  if (intent.kind === 'resume') {
    const done = new Set(intent.pass.done);
    const windows = passWindows(intent.pass).filter((w) => !done.has(w.key));
    return { kind: 'pass', pass: intent.pass, windows, resumed: true };
  }
  if (!layout) throw new Error(`planStream: a new ${intent.pass} pass needs its layout`);
  const pass: PassState = {
    kind: intent.pass,
    id: runId,
    serverDate,
    start: layout.start,
    end: layout.end,
    windows: layout.windows.map((w) => w.key),
    done: [],
  };
  return { kind: 'pass', pass, windows: layout.windows, resumed: false };
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
