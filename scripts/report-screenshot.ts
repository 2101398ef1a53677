/**
 * `npm run report:screenshot`: renders the example report into docs/report-example.html and a full-page
 * Chromium screenshot of it into docs/report.png (the picture the README shows). Fails if the page logs an
 * error or tries to fetch anything. A development tool: it drives the tests' browser helper.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleReportData } from '../connectors/callscaler/report/example-data.js';
import { renderReport } from '../connectors/callscaler/report/render.js';
import { openFile } from '../test/helpers/browser.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const htmlPath = join(root, 'docs', 'report-example.html');
const pngPath = join(root, 'docs', 'report.png');

await writeFile(htmlPath, await renderReport(exampleReportData()));
const opened = await openFile(htmlPath, { viewport: { width: 1000, height: 900 } });
try {
  const problems = [...opened.consoleErrors, ...opened.pageErrors, ...opened.failedRequests];
  if (problems.length > 0)
    throw new Error(`the example report did not open cleanly:\n${problems.join('\n')}`);
  await opened.page.screenshot({ path: pngPath, fullPage: true });
} finally {
  await opened.close();
}
process.stdout.write(`wrote ${htmlPath}\nwrote ${pngPath}\n`);
