import type { TopLevelSpec } from 'vega-lite';
import { escapeHtml } from './html.js';
import { renderSvg } from './svg.js';

export type ChartKey = 'calls-over-time' | 'campaigns' | 'ai-score' | 'keywords';

/** One chart of the report: its heading, the chart (or a "no data" note), its caption and its table. */
export interface Section {
  key: ChartKey;
  heading: string;
  caption: string;
  /** null when there is nothing to draw: the figure then says `emptyNote` instead. */
  spec: TopLevelSpec | null;
  emptyNote: string;
  /** HTML of the table under the chart ('' when there is no data). */
  table: string;
}

/**
 * The chart is inside `<figure data-chart>` with its caption, the table after it: a printed page may break
 * inside a long table but never inside a chart.
 */
export async function renderSection(section: Section): Promise<string> {
  const caption = escapeHtml(section.caption);
  const body =
    section.spec === null
      ? `<p class="no-data">${escapeHtml(section.emptyNote)}</p>`
      : labelSvg(await renderSvg(section.spec, section.key), section.caption);
  return [
    `<section class="panel" aria-labelledby="h-${section.key}">`,
    `<h2 id="h-${section.key}">${escapeHtml(section.heading)}</h2>`,
    `<figure data-chart="${section.key}">`,
    body,
    `<figcaption>${caption}</figcaption>`,
    '</figure>',
    section.table,
    '</section>',
  ].join('\n');
}

/** Vega's SVG root has no role; name it after the caption for screen readers. */
function labelSvg(svg: string, caption: string): string {
  return svg.replace(/^<svg /, `<svg role="img" aria-label="${escapeHtml(caption)}" `);
}
