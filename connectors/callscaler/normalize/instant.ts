/**
 * ISO 8601 / RFC 3339 instants: a calendar date, a time and an offset (`Z` or `±HH[:MM]`). A date alone
 * or a local time without an offset is not an instant: guessing its zone would shift calls between days.
 */
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Epoch milliseconds (fractions down to the microsecond), or null when `text` is not an instant. */
export function parseInstant(text: string): number | null {
  if (text.length > 40) return null;
  const m = INSTANT.exec(text);
  if (m === null) return null;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = +m[4];
  const minute = +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  if (month < 1 || month > 12 || day < 1) return null;
  if (day > (month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1])) return null;
  // 60 is a leap second; Date.UTC carries it into the next minute, the nearest representable instant.
  if (hour > 23 || minute > 59 || second > 60) return null;
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const oh = +m[10];
    const om = m[11] === undefined ? 0 : +m[11];
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC maps years 0-99 to 1900-1999.
  if (year < 100) ms = new Date(ms).setUTCFullYear(year);
  // Microseconds are what the timestamp column stores; finer digits are dropped.
  const fraction = m[7] === undefined ? 0 : +m[7].slice(0, 6).padEnd(6, '0') / 1000;
  return ms - offsetMinutes * 60_000 + fraction;
}
