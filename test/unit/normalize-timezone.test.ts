import { describe, expect, it } from 'vitest';
import { dayInZone, timeZoneName, utcDay } from '../../connectors/callscaler/normalize/timezone.js';

const DAY_MS = 86_400_000;
const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The reference: Intl's own calendar date of an instant in a zone (not the offset arithmetic under test). */
function referenceDate(zone: string, ms: number): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(ms);
}

describe('timeZoneName', () => {
  it.each([
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['GMT', 'UTC'],
    ['Etc/GMT-0', 'UTC'],
    ['Zulu', 'UTC'],
    // other names as written, so a fingerprint does not depend on the ICU version's canonical names
    ['America/Chicago', 'America/Chicago'],
    ['america/chicago', 'america/chicago'],
    ['US/Central', 'US/Central'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Asia/Calcutta', 'Asia/Calcutta'],
    ['Australia/Lord_Howe', 'Australia/Lord_Howe'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
  ])('%s is %s', (name, canonical) => {
    expect(timeZoneName(name)).toBe(canonical);
  });

  it.each([
    'Mars/Base',
    'UTC/Mars',
    '',
    '+05:30',
    '-06:00',
    'Z',
    'America/',
    '/UTC',
    'America//Chicago',
    'UTC ',
  ])('%j is not an IANA zone', (name) => {
    expect(timeZoneName(name)).toBeUndefined();
  });
});

describe('dayInZone: the calendar date of an instant in a zone', () => {
  it('UTC is plain division, without Intl', () => {
    expect(dayInZone('UTC')).toBe(utcDay);
    expect(iso(utcDay(Date.parse('2026-03-09T03:30:00Z')))).toBe('2026-03-09');
    expect(iso(utcDay(Date.parse('1969-12-31T23:59:59.999Z')))).toBe('1969-12-31');
  });

  it('a call at 2026-03-09T03:30Z is on 2026-03-08 in America/Chicago', () => {
    expect(iso(dayInZone('America/Chicago')(Date.parse('2026-03-09T03:30:00Z')))).toBe('2026-03-08');
  });

  // Instants either side of each local midnight next to a DST switch (and of the switch itself).
  it.each([
    // Chicago springs forward 2026-03-08 08:00Z (CST -6 -> CDT -5), falls back 2026-11-01 07:00Z.
    ['America/Chicago', '2026-03-08T05:59:59Z', '2026-03-07'],
    ['America/Chicago', '2026-03-08T06:00:00Z', '2026-03-08'],
    ['America/Chicago', '2026-03-08T08:00:00Z', '2026-03-08'],
    ['America/Chicago', '2026-03-09T04:59:59Z', '2026-03-08'],
    ['America/Chicago', '2026-03-09T05:00:00Z', '2026-03-09'],
    ['America/Chicago', '2026-11-01T04:59:59Z', '2026-10-31'],
    ['America/Chicago', '2026-11-01T05:00:00Z', '2026-11-01'],
    ['America/Chicago', '2026-11-01T07:30:00Z', '2026-11-01'],
    ['America/Chicago', '2026-11-02T05:59:59Z', '2026-11-01'],
    ['America/Chicago', '2026-11-02T06:00:00Z', '2026-11-02'],
    // London: BST from 2026-03-29 01:00Z to 2026-10-25 01:00Z.
    ['Europe/London', '2026-03-29T00:59:59Z', '2026-03-29'],
    ['Europe/London', '2026-03-29T22:59:59Z', '2026-03-29'],
    ['Europe/London', '2026-03-29T23:00:00Z', '2026-03-30'],
    ['Europe/London', '2026-10-24T22:59:59Z', '2026-10-24'],
    ['Europe/London', '2026-10-24T23:00:00Z', '2026-10-25'],
    ['Europe/London', '2026-10-25T23:59:59Z', '2026-10-25'],
    ['Europe/London', '2026-10-26T00:00:00Z', '2026-10-26'],
    // Kolkata is +5:30 all year: midnight is at 18:30Z.
    ['Asia/Kolkata', '2026-03-08T18:29:59.999Z', '2026-03-08'],
    ['Asia/Kolkata', '2026-03-08T18:30:00Z', '2026-03-09'],
    // Lord Howe: +11 in summer, +10:30 in winter (a 30-minute switch), 2026-04-05 at 15:00Z the day before.
    ['Australia/Lord_Howe', '2026-04-04T12:59:59Z', '2026-04-04'],
    ['Australia/Lord_Howe', '2026-04-04T13:00:00Z', '2026-04-05'],
    ['Australia/Lord_Howe', '2026-04-05T13:29:59Z', '2026-04-05'],
    ['Australia/Lord_Howe', '2026-04-05T13:30:00Z', '2026-04-06'],
    ['Australia/Lord_Howe', '2026-10-03T13:29:59Z', '2026-10-03'],
    ['Australia/Lord_Howe', '2026-10-03T13:30:00Z', '2026-10-04'],
    ['Australia/Lord_Howe', '2026-10-04T12:59:59Z', '2026-10-04'],
    ['Australia/Lord_Howe', '2026-10-04T13:00:00Z', '2026-10-05'],
    // Kathmandu is +5:45; Chatham +13:45 in its summer.
    ['Asia/Kathmandu', '2026-06-30T18:14:59Z', '2026-06-30'],
    ['Asia/Kathmandu', '2026-06-30T18:15:00Z', '2026-07-01'],
    ['Pacific/Chatham', '2026-01-01T10:14:59Z', '2026-01-01'],
    ['Pacific/Chatham', '2026-01-01T10:15:00Z', '2026-01-02'],
  ])('%s: %s is on %s', (zone, instant, date) => {
    const ms = Date.parse(instant);
    expect(referenceDate(zone, ms)).toBe(date);
    expect(iso(dayInZone(zone)(ms))).toBe(date);
  });

  // A sweep in odd steps across the DST weeks.
  it.each([
    ['America/Chicago', '2026-02-20T00:00:00Z'],
    ['America/Chicago', '2026-10-15T00:00:00Z'],
    ['Europe/London', '2026-03-10T00:00:00Z'],
    ['Europe/London', '2026-10-10T00:00:00Z'],
    ['Asia/Kolkata', '2026-01-01T00:00:00Z'],
    ['Australia/Lord_Howe', '2026-03-20T00:00:00Z'],
    ['Australia/Lord_Howe', '2026-09-20T00:00:00Z'],
    // Before 1883 Chicago kept local mean time, -5:50:36: not a multiple of 15 minutes, answered per row.
    ['America/Chicago', '1883-11-01T00:00:00Z'],
  ])('%s agrees with Intl for 60 days from %s', (zone, from) => {
    const dayOf = dayInZone(zone);
    const start = Date.parse(from);
    const mismatches: string[] = [];
    for (let ms = start; ms < start + 60 * DAY_MS; ms += 7 * 60_000 + 13_017) {
      const want = referenceDate(zone, ms);
      if (iso(dayOf(ms)) !== want)
        mismatches.push(`${new Date(ms).toISOString()}: ${iso(dayOf(ms))} ≠ ${want}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('local mean time: a Chicago call of 1880 at 05:50:35Z is still the day before', () => {
    // -5:50:36: 05:50:35Z is 23:59:59 local, one second before midnight.
    const dayOf = dayInZone('America/Chicago');
    expect(iso(dayOf(Date.parse('1880-06-02T05:50:35Z')))).toBe('1880-06-01');
    expect(iso(dayOf(Date.parse('1880-06-02T05:50:36Z')))).toBe('1880-06-02');
  });

  it('buckets that share a cache slot (2^15 buckets of 15 minutes apart) each get their own answer', () => {
    const dayOf = dayInZone('Asia/Kolkata');
    const apart = 2 ** 15 * 15 * 60_000;
    const first = Date.parse('2026-05-05T18:29:00Z');
    const instants = [0, 1, 2, 1, 0, 3, 0].map((k) => first + k * apart + (k % 2) * 60_000);
    const got = instants.map((ms) => iso(dayOf(ms)));
    expect(got).toEqual(instants.map((ms) => referenceDate('Asia/Kolkata', ms)));
    expect(got[0]).toBe('2026-05-05');
  });
});
