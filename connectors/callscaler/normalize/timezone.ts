/**
 * Calendar days in an IANA time zone, cheap enough for every row. A UTC day is one division; any other zone
 * asks Intl once per 15-minute UTC bucket and caches the answer: every offset in use today is a multiple of
 * 15 minutes and changes on such a boundary, so a local midnight or a DST switch never falls inside a bucket.
 * A bucket where that does not hold (a historical offset such as Chicago's -5:50:36 before 1883) is answered
 * per row, so the cache is a speed-up, never an approximation.
 */

const DAY_MS = 86_400_000;
const BUCKET_MS = 15 * 60_000;
/**
 * Buckets cached per zone: a direct-mapped table (a bucket has one slot, shared with the buckets 341 days
 * away), so the memory is fixed (512 KiB) and rows in any order hit it: a page sorted by id spans months.
 */
const SLOTS = 1 << 15;
/** A cached bucket whose offset is not constant and a multiple of 15 minutes: compute each row. */
const PER_ROW = Number.NaN;

/** Days since 1970-01-01 of an instant (epoch milliseconds) in some zone. */
export type DayOf = (ms: number) => number;

export const utcDay: DayOf = (ms) => Math.floor(ms / DAY_MS);

// IANA names are words joined by `/`, `_`, `-` and `+` (Etc/GMT+5); offsets ("+05:30", which newer Node
// versions accept as a zone) and empty strings are not names.
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;
// The names of UTC itself, in any case: they take the fast path.
const UTC_NAMES = /^(?:etc\/)?(?:utc|uct|universal|zulu|greenwich|gmt(?:[+-]?0)?)$/i;

/**
 * The zone name to use for `name`: `UTC` for any name of UTC (`utc`, `Etc/UTC`, `GMT`), else `name` as written
 * once Intl knows it; undefined when it is not an IANA zone. Links are not resolved (`US/Central` stays): ICU's
 * canonical names differ between Node versions (Asia/Calcutta or Asia/Kolkata), and the name is part of the
 * stream's fingerprint, which must not change with the Node version.
 */
export function timeZoneName(name: string): string | undefined {
  if (!IANA_NAME.test(name)) return undefined;
  if (UTC_NAMES.test(name)) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name;
  } catch {
    return undefined;
  }
}

const byZone = new Map<string, DayOf>();

/** The day function of a zone name (as `timeZoneName` returns it); UTC never touches Intl. */
export function dayInZone(zone: string): DayOf {
  if (zone === 'UTC') return utcDay;
  let fn = byZone.get(zone);
  if (fn === undefined) {
    fn = zoneDays(zone);
    byZone.set(zone, fn);
  }
  return fn;
}

// `GMT`, `GMT+05:30`, `GMT-05:50:36`: what Intl's longOffset writes.
const LONG_OFFSET = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

function zoneDays(zone: string): DayOf {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  /** The zone's offset from UTC at `ms`, in milliseconds. */
  const offsetAt = (ms: number): number => {
    const part = format.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
    const m = LONG_OFFSET.exec(part);
    if (m === null) throw new Error(`time zone ${zone}: unexpected offset ${JSON.stringify(part)}`);
    if (m[1] === undefined) return 0;
    const seconds = +m[2] * 3600 + +m[3] * 60 + (m[4] === undefined ? 0 : +m[4]);
    return (m[1] === '-' ? -1 : 1) * seconds * 1000;
  };
  const exact = (ms: number): number => Math.floor((ms + offsetAt(ms)) / DAY_MS);
  const buckets = new Float64Array(SLOTS).fill(Number.NaN);
  const days = new Float64Array(SLOTS);
  return (ms) => {
    const bucket = Math.floor(ms / BUCKET_MS);
    // Instants are within ±8.64e15 ms, so a bucket number fits in 32 bits.
    const slot = bucket & (SLOTS - 1);
    if (buckets[slot] !== bucket) {
      const start = bucket * BUCKET_MS;
      const offset = offsetAt(start);
      const steady = offset % BUCKET_MS === 0 && offsetAt(start + BUCKET_MS - 1) === offset;
      buckets[slot] = bucket;
      days[slot] = steady ? Math.floor((start + offset) / DAY_MS) : PER_ROW;
    }
    const day = days[slot];
    return Number.isNaN(day) ? exact(ms) : day;
  };
}
