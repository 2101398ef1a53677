import { aiScoreSection } from './chart-ai-score.js';
import { callsOverTimeSection } from './chart-calls-over-time.js';
import { campaignsSection } from './chart-campaigns.js';
import { keywordsSection } from './chart-keywords.js';
import { renderSection } from './figure.js';
import { dateRangeText, renderHeader } from './header.js';
import { escapeHtml } from './html.js';
import type { ReportData } from './report-data.js';
import { REPORT_CSS } from './styles.js';

/**
 * The whole report as one self-contained HTML document: inline CSS, charts as inline SVG drawn here in Node,
 * no script and nothing to fetch, so it opens from a file or an e-mail with no network. The same data always
 * gives the same bytes.
 */
export async function renderReport(data: ReportData): Promise<string> {
  const range = dateRangeText(data.header);
  const sections = [
    callsOverTimeSection(data.callsByDayChannel, range),
    campaignsSection(data.campaigns),
    aiScoreSection(data.aiScoreHistogram),
    keywordsSection(data.topKeywords),
  ];
  // One at a time: Vega's SVG id counters are module-wide.
  const rendered: string[] = [];
  for (const section of sections) rendered.push(await renderSection(section));
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may be fetched or run, whatever the data holds.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(`${data.header.title} (${range})`)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    renderHeader(data.header),
    ...rendered,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
