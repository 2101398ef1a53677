import { describe, expect, it } from 'vitest';
import { aiScoreSection } from '../../connectors/callscaler/report/chart-ai-score.js';
import { callsOverTimeSection } from '../../connectors/callscaler/report/chart-calls-over-time.js';
import { campaignsSection } from '../../connectors/callscaler/report/chart-campaigns.js';
import { keywordsSection } from '../../connectors/callscaler/report/chart-keywords.js';
import { exampleReportData } from '../../connectors/callscaler/report/example-data.js';
import { renderReport } from '../../connectors/callscaler/report/render.js';
import type { ReportData } from '../../connectors/callscaler/report/report-data.js';
import { renderSvg } from '../../connectors/callscaler/report/svg.js';

const CHARTS = ['calls-over-time', 'campaigns', 'ai-score', 'keywords'] as const;
const HOSTILE = '<script>alert(1)</script>"&\'';

function emptyReport(): ReportData {
  return {
    ...exampleReportData(),
    callsByDayChannel: [],
    campaigns: [],
    aiScoreHistogram: [],
    topKeywords: [],
  };
}

function hostileReport(): ReportData {
  const data = exampleReportData();
  data.header.title = `Report ${HOSTILE}`;
  data.header.accounts = [HOSTILE];
  data.callsByDayChannel.push({ day: '2026-01-02', channel: HOSTILE, calls: 4 });
  data.campaigns.push({ ...data.campaigns[0], source: HOSTILE, utm_campaign: HOSTILE });
  data.topKeywords.unshift({ keyword: HOSTILE, calls: 5000 });
  return data;
}

/** The HTML of one `<figure data-chart>`. */
function figure(html: string, chart: string): string {
  const start = html.indexOf(`<figure data-chart="${chart}">`);
  expect(start).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</figure>', start));
}

/** The HTML of the `<section>` holding one chart, its heading and its table. */
function section(html: string, chart: string): string {
  const start = html.lastIndexOf('<section', html.indexOf(`<figure data-chart="${chart}">`));
  return html.slice(start, html.indexOf('</section>', start));
}

describe('renderReport: empty series', () => {
  it('says "no data" in each of the four figures instead of drawing a chart or a table', async () => {
    const html = await renderReport(emptyReport());
    const notes = {
      'calls-over-time': 'No calls in this period.',
      campaigns: 'No campaigns in this period.',
      'ai-score': 'No calls with an AI score in this period.',
      keywords: 'No keywords spotted in this period.',
    };
    for (const chart of CHARTS) {
      expect(figure(html, chart)).toContain(`<p class="no-data">${notes[chart]}</p>`);
      expect(figure(html, chart)).toContain('<figcaption>');
      expect(section(html, chart)).not.toContain('<svg');
      expect(section(html, chart)).not.toContain('<table');
    }
    expect(html).toContain('<dd>5,098</dd>');
  });

  it('treats series of zeros as empty, and draws the series that have data', async () => {
    const data = exampleReportData();
    data.aiScoreHistogram = data.aiScoreHistogram.map((b) => ({ ...b, calls: 0 }));
    data.topKeywords = [{ keyword: 'quote', calls: 0 }];
    const html = await renderReport(data);
    expect(figure(html, 'ai-score')).toContain('class="no-data"');
    expect(figure(html, 'keywords')).toContain('class="no-data"');
    expect(figure(html, 'calls-over-time')).toContain('<svg');
    expect(figure(html, 'campaigns')).toContain('<svg');
  });
});

describe('renderReport: text from the API', () => {
  it('escapes it everywhere: no element or attribute can come from the data', async () => {
    const html = await renderReport(hostileReport());
    expect(html).not.toContain('<script');
    expect(html).not.toContain('alert(1)</');
    expect(html).toContain('<h1>Report &lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;</h1>');
    expect(html).toContain(
      '<title>Report &lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39; (2026-01-01 to',
    );
    // In the SVG (Vega's escaping) and in the table (ours).
    expect(figure(html, 'keywords')).toContain('&lt;script&gt;alert(1)&lt;/script&gt;"&amp;\'</text>');
    expect(section(html, 'keywords')).toContain(
      '<td>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;</td>',
    );
  });

  it('shows a NULL campaign or source as "(none)"', async () => {
    const data = exampleReportData();
    data.campaigns = [
      { ...data.campaigns[0], source: null, utm_campaign: null, qualified_calls: 9 },
      { ...data.campaigns[1], source: 'bing', utm_campaign: null, qualified_calls: 3 },
    ];
    const html = await renderReport(data);
    expect(figure(html, 'campaigns')).toContain('>(none) · (none)</text>');
    expect(figure(html, 'campaigns')).toContain('>(none) · bing</text>');
    expect(section(html, 'campaigns')).toContain('<tr><td>(none)</td><td>(none)</td>');
    expect(section(html, 'campaigns')).toContain('<tr><td>(none)</td><td>bing</td>');
  });
});

describe('renderReport: output', () => {
  it('is the same for the same data, whatever was rendered before', async () => {
    const first = await renderReport(exampleReportData());
    await renderReport(hostileReport());
    expect(await renderReport(exampleReportData())).toBe(first);
  });

  it('does not depend on the order of the input rows', async () => {
    const data = exampleReportData();
    const shuffled: ReportData = {
      ...data,
      callsByDayChannel: [...data.callsByDayChannel].reverse(),
      campaigns: [...data.campaigns].reverse(),
      topKeywords: [...data.topKeywords].reverse(),
      aiScoreHistogram: [...data.aiScoreHistogram].reverse(),
    };
    expect(await renderReport(shuffled)).toBe(await renderReport(data));
  });

  it('has nothing to fetch and nothing to run', async () => {
    const html = await renderReport(hostileReport());
    for (const forbidden of ['<script', '<link', '@import', 'url(', 'src=', 'href=', '<img', '<iframe']) {
      expect(html).not.toContain(forbidden);
    }
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('charts the top 20 keywords and top 15 campaigns and says so', async () => {
    const data = exampleReportData();
    data.topKeywords = Array.from({ length: 30 }, (_, i) => ({ keyword: `kw${i}`, calls: 100 - i }));
    data.campaigns = Array.from({ length: 18 }, (_, i) => ({ ...data.campaigns[0], utm_campaign: `c${i}` }));
    const html = await renderReport(data);
    expect(html).toContain('The 20 keywords spotted in the most calls (of 30).');
    expect(figure(html, 'keywords')).toContain('>kw19</text>');
    expect(figure(html, 'keywords')).not.toContain('>kw20</text>');
    expect(html).toContain('top 15 of 18 campaigns by qualified leads');
    expect(section(html, 'campaigns').match(/<tr><td>c\d+<\/td>/g)).toHaveLength(15);
  });
});

describe('chart specs', () => {
  it.each([
    ['the example', exampleReportData()],
    ['hostile text', hostileReport()],
    [
      'one day, one campaign without qualified leads, one keyword',
      {
        ...exampleReportData(),
        callsByDayChannel: [{ day: '2026-03-01', channel: 'direct', calls: 1 }],
        campaigns: [
          {
            source: null,
            utm_campaign: null,
            calls: 1,
            qualified_calls: 0,
            qualification_rate: 0,
            cost_cents: 0,
            cost_per_qualified_lead_cents: null,
          },
        ],
        aiScoreHistogram: [{ bucket_start: 90, calls: 1 }],
        topKeywords: [{ keyword: 'quote', calls: 1 }],
      },
    ],
  ])('compile and draw without a Vega or Vega-Lite warning: %s', async (_, data: ReportData) => {
    const sections = [
      callsOverTimeSection(data.callsByDayChannel, 'range'),
      campaignsSection(data.campaigns),
      aiScoreSection(data.aiScoreHistogram),
      keywordsSection(data.topKeywords),
    ];
    for (const s of sections) {
      const warnings: string[] = [];
      expect(s.spec).not.toBeNull();
      await renderSvg(s.spec!, s.key, warnings);
      expect({ chart: s.key, warnings }).toEqual({ chart: s.key, warnings: [] });
    }
  });
});
