/**
 * Numbers for people. One fixed locale (en-US, US dollars) so the same data gives the same report on every
 * machine whatever its LANG; NULL, NaN and ±Infinity show as an em dash.
 */

export const MISSING = '—';

const currency = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function usable(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Intl writes -0 (and anything that rounds to it) with a minus sign: "-$0.00", "-0%". */
function noNegativeZero(formatted: string): string {
  return /^-[^1-9]*$/.test(formatted) ? formatted.slice(1) : formatted;
}

/** 123456 → "$1,234.56". */
export function formatCents(cents: number | null | undefined): string {
  return usable(cents) ? noNegativeZero(currency.format(cents / 100)) : MISSING;
}

/** 0.375 → "37.5%" (at most one decimal). */
export function formatPercent(fraction: number | null | undefined): string {
  return usable(fraction) ? noNegativeZero(percent.format(fraction)) : MISSING;
}

/** 1234567 → "1,234,567" (rounded to a whole number). */
export function formatInteger(value: number | null | undefined): string {
  return usable(value) ? noNegativeZero(integer.format(value)) : MISSING;
}

/** numerator / denominator as a percentage; "—" when the denominator is 0. */
export function formatRatio(numerator: number, denominator: number): string {
  return denominator === 0 ? MISSING : formatPercent(numerator / denominator);
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** An ISO 8601 instant as "2026-05-31 14:03 UTC"; text that is not an instant comes back as it is. */
export function formatInstant(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return MISSING;
  const ms = INSTANT.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) return iso;
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)} UTC`;
}
