import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../connectors/callscaler/report/render.js';
import type { ReportData } from '../../connectors/callscaler/report/report-data.js';
import { type OpenedPage, openFile } from '../helpers/browser.js';

const SCRIPT = '<script>alert(1)</script>';
const QUOTES = `"&'`;
/** Would load a file (and fail, recorded by the helper) if it ever became an element. */
const IMG = '<img src="pixel.png">';

const data: ReportData = {
  header: {
    title: `Calls ${SCRIPT} ${QUOTES}`,
    accounts: ['main', `acct ${SCRIPT}`],
    date_range: { start: '2026-03-01', end: '2026-03-03' },
    generated_at: '2026-03-04T08:15:00Z',
    totals: { calls: 12345, qualified_calls: 4629, cost_cents: 123456789, value_cents: 98765 },
    last_run: {
      run_id: 'run-42',
      status: 'failed',
      finished_at: '2026-03-04T08:10:30.250Z',
      rows: 1001,
      message: `HTTP 500 ${IMG} ${QUOTES}`,
    },
  },
  callsByDayChannel: [
    { day: '2026-03-01', channel: 'paid_search', calls: 10 },
    { day: '2026-03-01', channel: 'direct', calls: 3 },
    { day: '2026-03-02', channel: 'paid_search', calls: 7 },
    { day: '2026-03-02', channel: SCRIPT, calls: 2 },
    { day: '2026-03-03', channel: 'direct', calls: 0 },
    { day: '2026-03-03', channel: 'paid_search', calls: 5 },
  ],
  campaigns: [
    {
      source: 'google',
      utm_campaign: 'emergency_plumbing_2026_austin_round_rock',
      calls: 40,
      qualified_calls: 16,
      qualification_rate: 0.4,
      cost_cents: 48000,
      cost_per_qualified_lead_cents: 3000,
    },
    {
      source: null,
      utm_campaign: null,
      calls: 25,
      qualified_calls: 5,
      qualification_rate: 0.2,
      cost_cents: 0,
      cost_per_qualified_lead_cents: 0,
    },
    {
      source: SCRIPT,
      utm_campaign: `${QUOTES} ${IMG}`,
      calls: 9,
      qualified_calls: 0,
      qualification_rate: 0,
      cost_cents: 1500,
      cost_per_qualified_lead_cents: null,
    },
  ],
  aiScoreHistogram: [
    { bucket_start: 0, calls: 4 },
    { bucket_start: 50, calls: 10 },
    { bucket_start: 90, calls: 6 },
  ],
  topKeywords: [
    { keyword: 'quote', calls: 12 },
    { keyword: SCRIPT, calls: 7 },
    { keyword: QUOTES, calls: 3 },
  ],
};

let dir: string;
let html: string;
let opened: OpenedPage;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'report-render-'));
  html = await renderReport(data);
  writeFileSync(join(dir, 'report.html'), html);
  opened = await openFile(join(dir, 'report.html'), { viewport: { width: 1000, height: 800 } });
});

afterAll(async () => {
  await opened?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const chart = (key: string) => opened.page.locator(`figure[data-chart="${key}"]`);
const bars = (key: string) => chart(key).locator('svg g.mark-rect.role-mark path');
const barLabels = (key: string) => chart(key).locator('svg g.mark-text.role-mark text');
const axisLabels = (key: string) => chart(key).locator('svg g.role-axis-label text');

describe('the report in Chromium', () => {
  it('opens with no console error, no page error and no request', () => {
    expect(opened.consoleErrors).toEqual([]);
    expect(opened.pageErrors).toEqual([]);
    expect(opened.failedRequests).toEqual([]);
  });

  it('has the four figures, each one SVG with its caption', async () => {
    expect(await opened.page.locator('figure[data-chart]').count()).toBe(4);
    for (const key of ['calls-over-time', 'campaigns', 'ai-score', 'keywords']) {
      expect(await chart(key).locator('svg').count()).toBe(1);
      expect(await chart(key).locator('figcaption').count()).toBe(1);
      const box = await chart(key).locator('svg').boundingBox();
      expect(box?.width).toBeGreaterThan(500);
      expect(box?.height).toBeGreaterThan(100);
    }
  });

  it('draws one bar per row with data, with its value beside it', async () => {
    // 5 rows with calls (the 0 is not drawn), stacked into 3 days.
    expect(await bars('calls-over-time').count()).toBe(5);
    // Qualified leads and cost per lead, one bar each per campaign.
    expect(await bars('campaigns').count()).toBe(6);
    expect(await barLabels('campaigns').allTextContents()).toEqual([
      '16',
      '5',
      '0',
      '$30.00',
      '$0.00',
      '— no qualified leads',
    ]);
    // Every bucket, the empty ones too.
    expect(await bars('ai-score').count()).toBe(10);
    expect(await barLabels('ai-score').allTextContents()).toEqual([
      '4',
      '0',
      '0',
      '0',
      '0',
      '10',
      '0',
      '0',
      '0',
      '6',
    ]);
    expect(await bars('keywords').count()).toBe(3);
    expect(await barLabels('keywords').allTextContents()).toEqual(['12', '7', '3']);
    const tallest = await bars('ai-score').nth(5).boundingBox();
    expect(tallest?.height).toBeGreaterThan(50);
  });

  it('shows the totals and the last run in the header, formatted for people', async () => {
    const page = opened.page;
    expect(await page.locator('.tile dt').allTextContents()).toEqual([
      'Calls',
      'Qualified leads',
      'Qualification rate',
      'Cost',
      'Value',
      'Cost per qualified lead',
    ]);
    expect(await page.locator('.tile dd').allTextContents()).toEqual([
      '12,345',
      '4,629',
      '37.5%',
      '$1,234,567.89',
      '$987.65',
      '$266.70',
    ]);
    expect(await page.locator('.meta').textContent()).toContain('Calls created 2026-03-01 to 2026-03-03');
    expect(await page.locator('.meta').textContent()).toContain('Generated 2026-03-04 08:15 UTC');
    expect(await page.locator('.last-run').textContent()).toContain(
      'Last sync: failed · finished 2026-03-04 08:10 UTC · 1,001 rows · run run-42',
    );
    expect(await page.locator('.last-run').getAttribute('class')).toBe('last-run status-failed');
  });

  it('shows text from the API as text, never as elements', async () => {
    const page = opened.page;
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('h1').textContent()).toBe(`Calls ${SCRIPT} ${QUOTES}`);
    expect(await page.title()).toBe(`Calls ${SCRIPT} ${QUOTES} (2026-03-01 to 2026-03-03)`);
    expect(await page.locator('.meta strong').first().textContent()).toBe(`main, acct ${SCRIPT}`);
    expect(await page.locator('.last-run .message').textContent()).toBe(`HTTP 500 ${IMG} ${QUOTES}`);
    // The y axis's labels (the x axis has numbers).
    expect(await axisLabels('keywords').allTextContents()).toEqual(
      expect.arrayContaining(['quote', SCRIPT, QUOTES]),
    );
    expect(
      await chart('calls-over-time').locator('svg g.role-legend-label text').allTextContents(),
    ).toContain(SCRIPT);
    const keywordCells = opened.page.locator(
      'section:has(figure[data-chart="keywords"]) tbody td:first-child',
    );
    expect(await keywordCells.allTextContents()).toEqual(['quote', SCRIPT, QUOTES]);
    const campaignRows = opened.page.locator('section:has(figure[data-chart="campaigns"]) tbody tr');
    expect(await campaignRows.nth(1).locator('td').nth(0).textContent()).toBe('(none)');
    expect(await campaignRows.nth(2).locator('td').nth(0).textContent()).toBe(`${QUOTES} ${IMG}`);
    expect(await campaignRows.nth(2).locator('td').nth(1).textContent()).toBe(SCRIPT);
  });

  it('fits a laptop screen: no chart or table wider than its panel', async () => {
    expect(await opened.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1000);
    const panels = opened.page.locator('section.panel');
    expect(await panels.count()).toBe(4);
    for (let i = 0; i < 4; i++) {
      const panel = await panels.nth(i).boundingBox();
      for (const inner of ['svg', 'table']) {
        const box = await panels.nth(i).locator(inner).boundingBox();
        expect(box!.x + box!.width).toBeLessThanOrEqual(panel!.x + panel!.width);
      }
    }
  });

  it('prints within an A4 or Letter page width, no chart split across pages', async () => {
    const page = opened.page;
    await page.setViewportSize({ width: 700, height: 1000 });
    await page.emulateMedia({ media: 'print' });
    try {
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(700);
      expect(await page.evaluate(`getComputedStyle(document.querySelector('figure')).breakInside`)).toBe(
        'avoid',
      );
      const box = await chart('campaigns').locator('svg').boundingBox();
      expect(box?.width).toBeLessThanOrEqual(700);
    } finally {
      await page.emulateMedia({ media: 'screen' });
      await page.setViewportSize({ width: 1000, height: 800 });
    }
  });
});

describe('the report HTML', () => {
  it('loads nothing from anywhere: no script, stylesheet link, import or remote url', () => {
    for (const forbidden of ['<script src', '<script', '<link', '@import', 'url(http', 'url(']) {
      expect(html).not.toContain(forbidden);
    }
  });
});

describe('the browser helper', () => {
  it('fails, saying how to install Chromium, when there is no browser', async () => {
    await expect(
      openFile(join(tmpdir(), 'x.html'), { executablePath: '/nonexistent/chromium' }),
    ).rejects.toThrow(/apt-get install -y chromium/);
  });
});
