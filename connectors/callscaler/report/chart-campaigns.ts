import type { TopLevelSpec } from 'vega-lite';
import type { Section } from './figure.js';
import { formatCents, formatInteger, formatPercent, MISSING } from './format.js';
import { htmlTable } from './html.js';
import type { CampaignRow } from './report-data.js';
import { BAR, BAR_SECOND, CHART_CONFIG } from './theme.js';

/** The chart and its table show the campaigns with the most qualified leads; a long tail would be unreadable. */
export const TOP_CAMPAIGNS = 15;
export const NO_CAMPAIGN = '(none)';
const EMPTY_CAPTION = 'Qualified leads and cost per qualified lead by campaign.';

interface Campaign extends CampaignRow {
  /** "campaign · source", unique within the chart. */
  label: string;
}

/** Qualified leads per campaign beside the cost per qualified lead, rows aligned on one campaign axis. */
export function campaignsSection(rows: readonly CampaignRow[]): Section {
  const base = {
    key: 'campaigns' as const,
    heading: 'Campaigns',
    emptyNote: 'No campaigns in this period.',
  };
  if (rows.length === 0) return { ...base, caption: EMPTY_CAPTION, spec: null, table: '' };

  const top = topCampaigns(rows);
  const shown =
    top.length < rows.length ? `top ${top.length} of ${formatInteger(rows.length)}` : `all ${top.length}`;
  const caption = `Qualified leads and cost per qualified lead by campaign (source), ${shown} campaigns by qualified leads.`;
  const labels = top.map((c) => c.label);
  const values = top.map((c) => ({
    label: c.label,
    qualified: c.qualified_calls,
    qualifiedText: formatInteger(c.qualified_calls),
    cpql: (c.cost_per_qualified_lead_cents ?? 0) / 100,
    cpqlText:
      c.cost_per_qualified_lead_cents === null
        ? `${MISSING} no qualified leads`
        : formatCents(c.cost_per_qualified_lead_cents),
  }));
  const maxQualified = Math.max(1, ...values.map((v) => v.qualified));
  const maxCpql = Math.max(1, ...values.map((v) => v.cpql));
  const y = { field: 'label', type: 'nominal', sort: labels, title: null } as const;
  const barText = { type: 'text', align: 'left', baseline: 'middle', dx: 4 } as const;

  const spec: TopLevelSpec = {
    config: CHART_CONFIG,
    data: { values },
    resolve: { scale: { y: 'shared' } },
    spacing: 28,
    hconcat: [
      {
        width: 300,
        height: { step: 22 },
        encoding: {
          y: { ...y, axis: { labelLimit: 230, ticks: false, domain: false, labelPadding: 6 } },
          x: {
            field: 'qualified',
            type: 'quantitative',
            title: 'Qualified leads',
            scale: { domainMax: maxQualified * 1.18 },
            axis: { format: ',d', tickMinStep: 1 },
          },
        },
        layer: [
          { mark: { type: 'bar', color: BAR } },
          { mark: barText, encoding: { text: { field: 'qualifiedText' } } },
        ],
      },
      {
        width: 250,
        height: { step: 22 },
        encoding: {
          y: { ...y, axis: null },
          x: {
            field: 'cpql',
            type: 'quantitative',
            title: 'Cost per qualified lead',
            scale: { domainMax: maxCpql * 1.45 },
            axis: { format: '$,.0f', tickCount: 4 },
          },
        },
        layer: [
          // A campaign without qualified leads has no cost per lead: a bar of 0 and a "—" beside it.
          { mark: { type: 'bar', color: BAR_SECOND } },
          { mark: barText, encoding: { text: { field: 'cpqlText' } } },
        ],
      },
    ],
  };

  const table = htmlTable(
    [
      { header: 'Campaign', cell: (c: Campaign) => c.utm_campaign ?? NO_CAMPAIGN },
      { header: 'Source', cell: (c) => c.source ?? NO_CAMPAIGN },
      { header: 'Calls', cell: (c) => formatInteger(c.calls), numeric: true },
      { header: 'Qualified leads', cell: (c) => formatInteger(c.qualified_calls), numeric: true },
      { header: 'Qualification rate', cell: (c) => formatPercent(c.qualification_rate), numeric: true },
      { header: 'Cost', cell: (c) => formatCents(c.cost_cents), numeric: true },
      {
        header: 'Cost per qualified lead',
        cell: (c) => formatCents(c.cost_per_qualified_lead_cents),
        numeric: true,
      },
    ],
    top,
  );
  return { ...base, caption, spec, table };
}

/** Most qualified leads first, then most calls, then by name: the order never depends on the input's. */
function topCampaigns(rows: readonly CampaignRow[]): Campaign[] {
  const sorted = rows
    .map((r) => ({ ...r, label: `${r.utm_campaign ?? NO_CAMPAIGN} · ${r.source ?? NO_CAMPAIGN}` }))
    .sort(
      (a, b) =>
        b.qualified_calls - a.qualified_calls ||
        b.calls - a.calls ||
        (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
    )
    .slice(0, TOP_CAMPAIGNS);
  // Bars of equal labels would stack into one: number the repeats.
  const seen = new Map<string, number>();
  for (const c of sorted) {
    const n = (seen.get(c.label) ?? 0) + 1;
    seen.set(c.label, n);
    if (n > 1) c.label = `${c.label} #${n}`;
  }
  return sorted;
}
