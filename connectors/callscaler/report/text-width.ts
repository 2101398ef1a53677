import * as vega from 'vega';

/**
 * Text widths for Vega's layout when there is no canvas to measure with. Vega's own estimate is 0.8 em per
 * character, half as wide again as real sans-serif text: axes got wide empty margins and campaign names were
 * cut at two thirds of the room they had. This one adds up Helvetica/Arial advance widths per character and
 * pads them by 15% for wider system fonts (DejaVu Sans on Linux), so labels still never overflow.
 */

/** Helvetica advance widths (1/1000 em) for ' ' (32) to '~' (126). */
const ASCII_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
  556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278,
  500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
  556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
  278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const OTHER_WIDTH = 600;
/** CJK, Hangul, fullwidth forms and emoji take a whole em. */
const WIDE_WIDTH = 1000;
const SYSTEM_FONT_PADDING = 1.15;
const BOLD_FACTOR = 1.08;

interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  limit?: number;
}

export function estimateTextWidth(item: TextItem, text: unknown): number {
  const size = item.fontSize == null ? 11 : Number(item.fontSize) || 0;
  let units = 0;
  for (const ch of text == null ? '' : String(text).trim()) units += charWidth(ch.codePointAt(0) ?? 0);
  const weight = item.fontWeight;
  const bold = weight === 'bold' || weight === 'bolder' || Number(weight) >= 600;
  const width = (units / 1000) * size * SYSTEM_FONT_PADDING * (bold ? BOLD_FACTOR : 1);
  // A label over its limit is drawn cut to the limit. Capping here (rather than truncating, which would call
  // back into this function) keeps Vega's own truncation working: it only asks whether a prefix fits.
  return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
}

/** The few non-ASCII characters the report itself writes: middle dot, en and em dash, ellipsis. */
const PUNCTUATION = new Map([
  [0xb7, 278],
  [0x2013, 556],
  [0x2014, 1000],
  [0x2026, 1000],
]);

function charWidth(code: number): number {
  if (code >= 32 && code <= 126) return ASCII_WIDTHS[code - 32];
  const known = PUNCTUATION.get(code);
  if (known !== undefined) return known;
  if (code >= 0x2e80) return code >= 0xff61 && code <= 0xffdc ? OTHER_WIDTH : WIDE_WIDTH;
  return OTHER_WIDTH;
}

interface TextMetrics {
  width: (item: TextItem, text: unknown) => number;
}

/**
 * Vega's layout measures text through `textMetrics.width`, a documented hook (vl-convert sets it too) that the
 * typings leave out. Installed once for the process; the report is the only user of Vega here.
 */
export function useEstimatedTextWidths(): void {
  (vega as unknown as { textMetrics: TextMetrics }).textMetrics.width = estimateTextWidth;
}
