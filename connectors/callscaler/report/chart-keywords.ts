import type { TopLevelSpec } from 'vega-lite';
import type { Section } from './figure.js';
import { formatInteger } from './format.js';
import { htmlTable } from './html.js';
import type { KeywordCount } from './report-data.js';
import { CHART_CONFIG, CHART_WIDTH } from './theme.js';

export const TOP_KEYWORDS = 20;

/** Horizontal bars of the keywords spotted in most calls. */
export function keywordsSection(rows: readonly KeywordCount[]): Section {
  const keywords = byCalls(rows);
  const top = keywords.slice(0, TOP_KEYWORDS);
  const base = {
    key: 'keywords' as const,
    heading: 'Top keywords',
    caption:
      top.length < keywords.length
        ? `The ${top.length} keywords spotted in the most calls (of ${formatInteger(keywords.length)}).`
        : 'Keywords spotted in calls, by number of calls.',
    emptyNote: 'No keywords spotted in this period.',
  };
  if (top.length === 0) return { ...base, spec: null, table: '' };

  const values = top.map((k) => ({ keyword: k.keyword, calls: k.calls, text: formatInteger(k.calls) }));
  const max = Math.max(1, ...top.map((k) => k.calls));
  const spec: TopLevelSpec = {
    config: CHART_CONFIG,
    width: CHART_WIDTH,
    // A number, not { step }: autosize 'fit-x' needs a continuous height.
    height: top.length * 22,
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values },
    encoding: {
      y: {
        field: 'keyword',
        type: 'nominal',
        sort: top.map((k) => k.keyword),
        title: null,
        axis: { labelLimit: 260, ticks: false, domain: false, labelPadding: 6 },
      },
      x: {
        field: 'calls',
        type: 'quantitative',
        title: 'Calls',
        scale: { domainMax: max * 1.1 },
        axis: { format: ',d', tickMinStep: 1 },
      },
    },
    layer: [
      { mark: { type: 'bar' } },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4 },
        encoding: { text: { field: 'text' } },
      },
    ],
  };

  const table = htmlTable(
    [
      { header: 'Keyword', cell: (k: KeywordCount) => k.keyword },
      { header: 'Calls', cell: (k) => formatInteger(k.calls), numeric: true },
    ],
    top,
  );
  return { ...base, spec, table };
}

/**
 * Most calls first, then by keyword; one row per keyword (a repeat would stack onto the first's bar), and
 * keywords with no calls left out.
 */
function byCalls(rows: readonly KeywordCount[]): KeywordCount[] {
  const calls = new Map<string, number>();
  for (const r of rows) calls.set(r.keyword, (calls.get(r.keyword) ?? 0) + r.calls);
  return [...calls]
    .filter(([, n]) => n > 0)
    .map(([keyword, n]) => ({ keyword, calls: n }))
    .sort((a, b) => b.calls - a.calls || (a.keyword < b.keyword ? -1 : a.keyword > b.keyword ? 1 : 0));
}
