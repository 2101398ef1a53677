import { describe, expect, it } from 'vitest';
import {
  formatCents,
  formatInstant,
  formatInteger,
  formatPercent,
  formatRatio,
} from '../../connectors/callscaler/report/format.js';

describe('formatCents', () => {
  it.each([
    [0, '$0.00'],
    [5, '$0.05'],
    [123456, '$1,234.56'],
    [100, '$1.00'],
    [123456789012, '$1,234,567,890.12'],
    [-2599, '-$25.99'],
    [-0, '$0.00'],
    [0.4, '$0.00'],
    [-0.4, '$0.00'],
    [26670.25, '$266.70'],
    [null, '—'],
    [undefined, '—'],
    [Number.NaN, '—'],
    [Number.POSITIVE_INFINITY, '—'],
  ])('%s cents → %s', (cents, expected) => {
    expect(formatCents(cents)).toBe(expected);
  });
});

describe('formatPercent', () => {
  it.each([
    [0.375, '37.5%'],
    [0, '0%'],
    [1, '100%'],
    [0.5, '50%'],
    [0.12345, '12.3%'],
    [0.99999, '100%'],
    [0.0004, '0%'],
    [-0.0004, '0%'],
    [1.5, '150%'],
    [-0.25, '-25%'],
    [null, '—'],
    [Number.NaN, '—'],
  ])('%s → %s', (fraction, expected) => {
    expect(formatPercent(fraction)).toBe(expected);
  });
});

describe('formatInteger', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1234567, '1,234,567'],
    [-45000, '-45,000'],
    [12.6, '13'],
    [-0.2, '0'],
    [null, '—'],
    [Number.NEGATIVE_INFINITY, '—'],
  ])('%s → %s', (value, expected) => {
    expect(formatInteger(value)).toBe(expected);
  });
});

describe('formatRatio', () => {
  it.each([
    [3, 8, '37.5%'],
    [0, 5, '0%'],
    [5, 5, '100%'],
    [0, 0, '—'],
    [7, 0, '—'],
  ])('%s / %s → %s', (numerator, denominator, expected) => {
    expect(formatRatio(numerator, denominator)).toBe(expected);
  });
});

describe('formatInstant', () => {
  it.each([
    ['2026-05-31T14:03:59.999Z', '2026-05-31 14:03 UTC'],
    ['2026-05-31T23:30:00-02:00', '2026-06-01 01:30 UTC'],
    ['2026-01-01T00:00:00+01:00', '2025-12-31 23:00 UTC'],
    ['not a date', 'not a date'],
    ['May 5 2026', 'May 5 2026'],
    ['', '—'],
    [null, '—'],
  ])('%s → %s', (iso, expected) => {
    expect(formatInstant(iso)).toBe(expected);
  });
});
