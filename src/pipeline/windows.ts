import type { Window } from '../connector/stream.js';

/** Calendar-date arithmetic on YYYY-MM-DD strings, always in UTC. */
const DAY_MS = 86_400_000;

export function toDateString(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function parseDate(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

export function addDays(date: string, days: number): string {
  return toDateString(parseDate(date) + days * DAY_MS);
}

/** Splits [start, end) into created-date windows of `days` days (the last one may be shorter). */
export function dateWindows(start: string, end: string, days: number): Window[] {
  const out: Window[] = [];
  for (let s = start; s < end; ) {
    const next = addDays(s, days);
    const e = next < end ? next : end;
    out.push({ key: `${s}..${e}`, startDate: s, endDate: e });
    s = e;
  }
  return out;
}

/** Whole days in [start, end). */
export function daysBetween(start: string, end: string): number {
  return Math.round((parseDate(end) - parseDate(start)) / DAY_MS);
}

const WINDOW_KEY = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

/** The created-date window a key such as `2026-03-01..2026-03-08` names; undefined for any other text. */
export function windowOfKey(key: string): Window | undefined {
  const m = WINDOW_KEY.exec(key);
  if (!m || Number.isNaN(parseDate(m[1])) || Number.isNaN(parseDate(m[2])) || m[1] >= m[2]) return undefined;
  return { key, startDate: m[1], endDate: m[2] };
}
