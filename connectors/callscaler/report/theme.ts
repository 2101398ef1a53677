import type { Config } from 'vega-lite';

/**
 * The charts' look, shared by all four: sizes that fit the page's 860px column (and scale down to A4/Letter
 * when printed), the page's font, quiet axes, and one colour per channel that stays the same from report to
 * report.
 */

export const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif';
/** The whole SVG, axes and legend included, for the single-view charts (autosize 'fit'). */
export const CHART_WIDTH = 860;
export const INK = '#1f2937';
export const BAR = '#2563eb';
export const BAR_SECOND = '#0d9488';

export const CHART_CONFIG: Config = {
  font: FONT,
  background: 'white',
  padding: 8,
  // The tables under each chart carry the numbers for screen readers; per-mark aria labels would double the SVG.
  aria: false,
  view: { stroke: null },
  axis: {
    labelFontSize: 12,
    titleFontSize: 12,
    titleFontWeight: 600,
    labelColor: INK,
    titleColor: INK,
    domainColor: '#9ca3af',
    tickColor: '#9ca3af',
    gridColor: '#e5e7eb',
    titlePadding: 8,
  },
  legend: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 600, labelColor: INK, titleColor: INK },
  text: { fontSize: 11, fill: INK },
  bar: { color: BAR },
};

/** Colour-blind-safe-ish Tableau 10; the known channels keep theirs, others take the rest in order. */
const KNOWN_CHANNEL_COLOURS: ReadonlyMap<string, string> = new Map([
  ['paid_search', '#4c78a8'],
  ['paid_social', '#f58518'],
  ['organic_search', '#54a24b'],
  ['organic_social', '#72b7b2'],
  ['referral', '#b279a2'],
  ['direct', '#eeca3b'],
  ['other', '#9d9d9d'],
]);
const SPARE_COLOURS = ['#e45756', '#9d755d', '#ff9da6', '#bab0ac', '#17becf', '#8c564b'];

export function channelColours(channels: readonly string[]): string[] {
  let spare = 0;
  return channels.map((c) => KNOWN_CHANNEL_COLOURS.get(c) ?? SPARE_COLOURS[spare++ % SPARE_COLOURS.length]);
}

/** "paid_search" → "Paid search"; channels the API invents are shown the same way. */
export function channelLabel(channel: string): string {
  const words = channel.replace(/_/g, ' ').trim();
  return words === '' ? '(none)' : words.charAt(0).toUpperCase() + words.slice(1);
}
