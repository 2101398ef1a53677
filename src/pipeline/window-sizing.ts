import type { DateRange, ProbeResult, Window } from '../connector/stream.js';
import { addDays, daysBetween, toDateString } from './windows.js';

/**
 * How big the windows of a new pass are (`window_days: auto`). Pure: the counting requests are in survey.ts.
 *
 * A window is the unit of work that commits with its checkpoint. Each one costs a few fixed things (a request
 * whose last page is part empty, a commit, a row in the checkpoint), so fewer is faster; but a run killed loses
 * the windows in flight, and `source.concurrency` can only work on as many windows as there are.
 */

/**
 * Rows a window aims at: about one 32 MiB commit piece of staged rows with transcripts (MAX_COMMIT_BYTES), a
 * few seconds of work, 50 list pages (so a window's count request and part-empty last page add 2-4%).
 * Measured on 200k calls (list to DuckDB, concurrency 4): windows of 5k to 100k rows cost the same CPU within
 * the noise of a shared machine, so the size is chosen for checkpoints, not speed.
 */
export const TARGET_WINDOW_ROWS = 25_000;

/** Windows are made smaller so each slot of `source.concurrency` gets this many, but not below MIN_WINDOW_ROWS. */
export const WINDOWS_PER_SLOT = 2;

/**
 * The smallest window made for the sake of concurrency: two pages of 500. Smaller windows would add more
 * fixed costs (a count, a request, a commit) than the parallel fetch saves.
 */
export const MIN_WINDOW_ROWS = 1_000;

/**
 * A counted part with more than this many times the target is counted again in smaller parts. Up to it, it is
 * one window: a window twice the target only checkpoints less often, while counting again costs a round of
 * requests.
 */
export const RECOUNT_ABOVE = 2;

/** Window length when the API does not say how many records there are: the fixed windows of earlier versions. */
export const FALLBACK_WINDOW_DAYS = 7;

/** Created dates [start, end) and the records in them: counted, or estimated from a count of a wider range. */
export interface Segment {
  readonly start: string;
  readonly end: string;
  readonly rows: number;
  /** Only a counted segment with no rows is left out: an estimate of none may be wrong. */
  readonly counted: boolean;
}

/** Rows per window for a pass of `total` records fetched `concurrency` windows at a time. */
export function windowTarget(total: number, concurrency: number): number {
  const perSlot = Math.ceil(total / (WINDOWS_PER_SLOT * Math.max(1, concurrency)));
  return Math.min(TARGET_WINDOW_ROWS, Math.max(MIN_WINDOW_ROWS, perSlot));
}

/**
 * The days a new pass must cover: the configured bounds (open ends: all history, up to the provider's
 * tomorrow), narrowed to the days between the probe's earliest and latest record. null: the probe found none.
 * Records created later are not lost: they are updated after the pass's clock, and the incremental run that
 * follows the pass asks for exactly those.
 */
export function dataExtent(bounds: DateRange, probe: ProbeResult): { start: string; end: string } | null {
  if (probe.total === 0) return null;
  const today = toDateString(probe.serverDate.getTime());
  let start = bounds.startDate ?? probe.earliest ?? today;
  if (probe.earliest !== undefined && probe.earliest > start) start = probe.earliest;
  let end = bounds.endDate ?? addDays(today, 1);
  if (probe.latest !== undefined) {
    const afterLatest = addDays(probe.latest, 1);
    // With an open end, records dated after tomorrow (a provider clock ahead of its data) are covered too.
    if (bounds.endDate === undefined || afterLatest < end) end = afterLatest;
  }
  return start < end ? { start, end } : null;
}

/** [start, end) cut into `parts` ranges of whole days, as even as days allow (at most one per day). */
export function evenParts(
  range: { start: string; end: string },
  parts: number,
): { start: string; end: string }[] {
  const days = daysBetween(range.start, range.end);
  const n = Math.max(1, Math.min(parts, days));
  const out: { start: string; end: string }[] = [];
  let from = range.start;
  for (let i = 1; i <= n; i++) {
    const to = i === n ? range.end : addDays(range.start, Math.floor((i * days) / n));
    out.push({ start: from, end: to });
    from = to;
  }
  return out;
}

/** A segment cut into `parts` even ranges, its rows shared out by days (an estimate: calls are not uniform). */
export function estimateParts(s: Segment, parts: number): Segment[] {
  const days = daysBetween(s.start, s.end);
  return evenParts(s, parts).map((p) => ({
    ...p,
    rows: Math.round((s.rows * daysBetween(p.start, p.end)) / days),
    counted: false,
  }));
}

/**
 * The windows of a pass from its segments, in date order: a counted empty segment gets none; a segment still
 * far above the target is cut evenly by days; then consecutive segments join while their rows fit the target
 * (a window may span an empty stretch: that costs nothing).
 */
export function windowsOf(segments: readonly Segment[], target: number): Window[] {
  const pieces = segments.flatMap((s) => {
    if (s.counted && s.rows === 0) return [];
    if (s.rows > target * RECOUNT_ABOVE) return estimateParts(s, Math.ceil(s.rows / target));
    return [s];
  });
  const out: Window[] = [];
  let open: { start: string; end: string; rows: number } | undefined;
  for (const p of pieces) {
    if (open && open.rows + p.rows <= target) {
      open = { start: open.start, end: p.end, rows: open.rows + p.rows };
      continue;
    }
    if (open) out.push(windowOf(open));
    open = p;
  }
  if (open) out.push(windowOf(open));
  return out;
}

function windowOf(r: { start: string; end: string }): Window {
  return { key: `${r.start}..${r.end}`, startDate: r.start, endDate: r.end };
}
