import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFile } from '../helpers/browser.js';
import { pipelineYaml, runCli, writePipeline } from '../helpers/cli.js';
import { useSimulator } from '../helpers/simulator.js';

const CHARTS = ['calls-over-time', 'campaigns', 'ai-score', 'keywords'];

describe('report --out: from a synced destination to a page that opens offline', () => {
  const f = useSimulator({ size: 400 });

  it('writes one self-contained file whose four charts draw in Chromium, totals as the destination has them', async () => {
    const cfg = writePipeline(f.dir, pipelineYaml({ destination: { type: 'parquet', dir: 'rds' } }));
    expect((await runCli(['run', '-c', cfg, '-q'], { env: f.env })).code).toBe(0);
    const out = path.join(f.dir, 'report.html');
    const r = await runCli(['report', '-c', cfg, '--out', out, '--title', 'Acme calls'], {
      env: { CALLSCALER_BASE_URL: f.sim.url },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*report\.html \(\d+ KB\)$/m);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link\b|@import|url\(\s*['"]?https?:/i);

    const calls = f.sim.calls();
    const qualified = calls.filter((c) => c.qualified_ai === true).length;
    const opened = await openFile(out);
    try {
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.pageErrors).toEqual([]);
      expect(opened.failedRequests).toEqual([]);
      expect(await opened.page.locator('h1').textContent()).toBe('Acme calls');
      const tile = (name: string) => opened.page.locator(`.tile:has(dt:text-is("${name}")) dd`).textContent();
      expect(await tile('Calls')).toBe(calls.length.toLocaleString('en-US'));
      expect(await tile('Qualified leads')).toBe(qualified.toLocaleString('en-US'));
      expect(await opened.page.locator('.last-run .status').textContent()).toBe('succeeded');
      for (const key of CHARTS) {
        const marks = await opened.page.locator(`figure[data-chart="${key}"] svg .role-mark > *`).count();
        expect(marks, key).toBeGreaterThan(0);
      }
    } finally {
      await opened.close();
    }

    // A range narrows what is counted.
    const march = path.join(f.dir, 'range.html');
    const ranged = await runCli(
      ['report', '-c', cfg, '--out', march, '--start-date', '2026-10-01', '--end-date', '2026-10-08'],
      { env: { CALLSCALER_BASE_URL: f.sim.url } },
    );
    expect(ranged.code).toBe(0);
    const inRange = calls.filter((c) => c.created_at >= '2026-10-01' && c.created_at < '2026-10-08').length;
    expect(fs.readFileSync(march, 'utf8')).toContain(
      `<dt>Calls</dt><dd>${inRange.toLocaleString('en-US')}</dd>`,
    );
  });

  it('says so when nothing was synced yet (exit 1), and refuses a bad range before reading anything (exit 2)', async () => {
    const cfg = writePipeline(
      f.dir,
      pipelineYaml({ destination: { type: 'duckdb', path: 'none.duckdb' } }),
      'none.yaml',
    );
    const none = await runCli(['report', '-c', cfg, '--out', path.join(f.dir, 'x.html')], { env: f.env });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/nothing has been synced/);
    const bad = await runCli([
      'report',
      '-c',
      cfg,
      '--out',
      'x.html',
      '--start-date',
      '2026-02-30',
      '--end-date',
      '2026-03-02',
    ]);
    expect(bad.code).toBe(2);
    expect(fs.existsSync(path.join(f.dir, 'x.html'))).toBe(false);
  });
});
