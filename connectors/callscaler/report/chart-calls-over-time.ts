import type { TopLevelSpec } from 'vega-lite';
import type { Section } from './figure.js';
import { formatInteger, formatRatio } from './format.js';
import { htmlTable } from './html.js';
import type { DayChannelCalls } from './report-data.js';
import { CHART_CONFIG, CHART_WIDTH, channelColours, channelLabel } from './theme.js';

interface ChannelTotal {
  channel: string;
  label: string;
  calls: number;
  busiestDay: string;
  busiestCalls: number;
}

/** Calls per day stacked by channel; the biggest channel at the bottom of each bar. */
export function callsOverTimeSection(rows: readonly DayChannelCalls[], range: string): Section {
  const channels = channelTotals(rows);
  const total = channels.reduce((sum, c) => sum + c.calls, 0);
  const base = {
    key: 'calls-over-time' as const,
    heading: 'Calls over time',
    caption: `Calls per day by channel, ${range}.`,
    emptyNote: 'No calls in this period.',
  };
  if (total === 0) return { ...base, spec: null, table: '' };

  const rank = new Map(channels.map((c, i) => [c.channel, i]));
  const label = new Map(channels.map((c) => [c.channel, c.label]));
  // Sorted so that the SVG (the order its bars are drawn in) does not depend on the order of the rows.
  const values = rows
    .filter((r) => r.calls > 0)
    .map((r) => ({
      day: r.day,
      channel: label.get(r.channel),
      calls: r.calls,
      rank: rank.get(r.channel) ?? 0,
    }))
    .sort((a, b) => compare(a.day, b.day) || a.rank - b.rank || a.calls - b.calls);
  const days = rows.map((r) => r.day).sort();
  const oneYear = days[0].slice(0, 4) === days[days.length - 1].slice(0, 4);

  const spec: TopLevelSpec = {
    config: CHART_CONFIG,
    width: CHART_WIDTH,
    height: 260,
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: {
        field: 'day',
        type: 'temporal',
        timeUnit: 'utcyearmonthdate',
        title: null,
        axis: { format: oneYear ? '%b %-d' : '%b %-d, %Y', labelOverlap: true, grid: false, labelPadding: 4 },
      },
      y: {
        field: 'calls',
        type: 'quantitative',
        aggregate: 'sum',
        title: 'Calls',
        axis: { format: ',d', tickMinStep: 1 },
      },
      color: {
        field: 'channel',
        type: 'nominal',
        title: 'Channel',
        sort: channels.map((c) => c.label),
        scale: {
          domain: channels.map((c) => c.label),
          range: channelColours(channels.map((c) => c.channel)),
        },
        legend: {
          orient: 'top',
          direction: 'horizontal',
          title: null,
          symbolType: 'square',
          columnPadding: 16,
        },
      },
      order: { field: 'rank', type: 'quantitative', sort: 'ascending' },
    },
  };

  const table = htmlTable(
    [
      { header: 'Channel', cell: (c: ChannelTotal) => c.label },
      { header: 'Calls', cell: (c) => formatInteger(c.calls), numeric: true },
      { header: 'Share of calls', cell: (c) => formatRatio(c.calls, total), numeric: true },
      {
        header: 'Busiest day',
        cell: (c) => `${c.busiestDay} (${formatInteger(c.busiestCalls)})`,
        numeric: true,
      },
    ],
    channels,
    ['All channels', formatInteger(total), formatRatio(total, total), busiestDay(rows)],
  );
  return { ...base, spec, table };
}

/** Channels with calls, most calls first (then by name, so the order never depends on the input's). */
function channelTotals(rows: readonly DayChannelCalls[]): ChannelTotal[] {
  const byChannel = new Map<string, { calls: number; days: Map<string, number> }>();
  for (const r of rows) {
    const c = byChannel.get(r.channel) ?? { calls: 0, days: new Map<string, number>() };
    c.calls += r.calls;
    c.days.set(r.day, (c.days.get(r.day) ?? 0) + r.calls);
    byChannel.set(r.channel, c);
  }
  const totals = [...byChannel]
    .filter(([, c]) => c.calls > 0)
    .map(([channel, c]) => {
      const [busiestDay, busiestCalls] = maxDay(c.days);
      return { channel, label: channelLabel(channel), calls: c.calls, busiestDay, busiestCalls };
    })
    .sort((a, b) => b.calls - a.calls || compare(a.channel, b.channel));
  // Two spellings of one label ("paid_search", "paid search") would merge in the legend: keep them apart.
  const seen = new Set<string>();
  for (const t of totals) {
    if (seen.has(t.label)) t.label = t.channel;
    seen.add(t.label);
  }
  return totals;
}

function busiestDay(rows: readonly DayChannelCalls[]): string {
  const days = new Map<string, number>();
  for (const r of rows) days.set(r.day, (days.get(r.day) ?? 0) + r.calls);
  const [day, calls] = maxDay(days);
  return `${day} (${formatInteger(calls)})`;
}

/** The day with the most calls; the earliest of equal ones. */
function maxDay(days: ReadonlyMap<string, number>): [string, number] {
  let best: [string, number] = ['', -1];
  for (const [day, calls] of days) {
    if (calls > best[1] || (calls === best[1] && compare(day, best[0]) < 0)) best = [day, calls];
  }
  return best;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
