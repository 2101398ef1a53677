import type { BaseStreamConfig } from '../config/schema.js';
import type { DateRange, ProbeResult, Window } from '../connector/stream.js';
import {
  dataExtent,
  estimateParts,
  evenParts,
  FALLBACK_WINDOW_DAYS,
  RECOUNT_ABOVE,
  type Segment,
  windowsOf,
  windowTarget,
} from './window-sizing.js';
import { addDays, dateWindows, daysBetween, toDateString } from './windows.js';

/** Rounds of counting at most: the first cuts the pass by its total, the others recount what came out dense. */
export const MAX_SURVEY_ROUNDS = 3;

/** Counts the records in a created-date range (the stream's `count`); undefined when the API does not tell. */
export type CountRecords = (range: DateRange) => Promise<number | undefined>;

/** Where a new pass runs and the windows it fetches. */
export interface PassLayout {
  readonly start: string;
  readonly end: string;
  readonly windows: readonly Window[];
}

export interface NewPassInput {
  readonly cfg: BaseStreamConfig;
  /** The configured created-date bounds of the pass (an explicit range, or start_date/end_date). */
  readonly bounds: DateRange;
  readonly probe: ProbeResult;
  readonly concurrency: number;
  readonly count?: CountRecords;
}

/**
 * The windows of a new pass, where the records are: between the probe's earliest and latest record (no window
 * over the months after a history that ended), of `window_days` days when the user fixed them, otherwise sized
 * by rows (window-sizing.ts) from the probe's total and, when the stream can count, from counts of its parts.
 */
export async function newPassLayout(i: NewPassInput): Promise<PassLayout> {
  const extent = dataExtent(i.bounds, i.probe);
  const today = toDateString(i.probe.serverDate.getTime());
  const start = i.bounds.startDate ?? extent?.start ?? today;
  const end = i.bounds.endDate ?? extent?.end ?? addDays(today, 1);
  if (!extent) return { start, end, windows: [] };
  const days = i.cfg.window_days;
  const total = i.probe.total;
  if (days !== 'auto') return { start, end, windows: dateWindows(extent.start, extent.end, days) };
  if (total === undefined) {
    return { start, end, windows: dateWindows(extent.start, extent.end, FALLBACK_WINDOW_DAYS) };
  }
  const target = windowTarget(total, i.concurrency);
  const whole: Segment = { ...extent, rows: total, counted: true };
  const segments =
    (i.count && (await survey(whole, target, i.count))) ?? estimateParts(whole, Math.ceil(total / target));
  return { start, end, windows: windowsOf(segments, target) };
}

/**
 * Counts the pass's parts so windows follow the data: calls are not spread evenly in time (an account grows,
 * pauses, has a busy season). The first round cuts the whole range into as many even parts as the total
 * needs windows; each later round cuts again, and counts, the parts that came out above RECOUNT_ABOVE times the
 * target. A round's counts go out together (the request budget paces them). Returns undefined when a count
 * comes back unknown: the caller then estimates from the total alone.
 */
export async function survey(
  whole: Segment,
  target: number,
  count: CountRecords,
): Promise<Segment[] | undefined> {
  let segments: Segment[] = [whole];
  for (let round = 0; round < MAX_SURVEY_ROUNDS; round++) {
    const limit = round === 0 ? target : target * RECOUNT_ABOVE;
    const cuts = segments.map((s) =>
      s.rows > limit && daysBetween(s.start, s.end) > 1
        ? evenParts(s, Math.ceil(s.rows / target))
        : undefined,
    );
    if (cuts.every((c) => c === undefined)) break;
    const counts = await Promise.all(
      cuts.map((parts) =>
        parts ? Promise.all(parts.map((p) => count({ startDate: p.start, endDate: p.end }))) : undefined,
      ),
    );
    const next: Segment[] = [];
    for (const [i, s] of segments.entries()) {
      const parts = cuts[i];
      if (!parts) {
        next.push(s);
        continue;
      }
      for (const [j, p] of parts.entries()) {
        const rows = counts[i]?.[j];
        if (rows === undefined) return undefined;
        next.push({ ...p, rows, counted: true });
      }
    }
    segments = next;
  }
  return segments;
}
