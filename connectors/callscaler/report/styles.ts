import { FONT } from './theme.js';

/**
 * The page's only stylesheet, inlined: system fonts (no web font to fetch), one 900px column on screen, the
 * printable width of A4 and Letter on paper (the SVGs scale down with it), and no page break inside a chart.
 */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --panel: #ffffff; --page: #f3f4f6; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--page); color: var(--ink); font: 15px/1.5 ${FONT}; }
main { max-width: 940px; margin: 0 auto; padding: 24px 16px 48px; }
h1 { font-size: 26px; line-height: 1.2; margin: 0 0 6px; }
h2 { font-size: 18px; margin: 0 0 10px; }
.report-header, .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 20px; margin: 0 0 20px; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 20px; margin: 0 0 16px; color: var(--muted); }
.meta strong { color: var(--ink); font-weight: 600; }
.totals { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 10px; margin: 0 0 14px; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.tile dt { color: var(--muted); font-size: 13px; }
.tile dd { margin: 2px 0 0; font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.last-run { margin: 0; padding: 8px 12px; border-radius: 8px; border-left: 4px solid var(--muted); background: #f9fafb; }
.last-run .message { color: var(--muted); overflow-wrap: anywhere; }
.status-succeeded { border-left-color: #15803d; } .status-succeeded .status { color: #15803d; }
.status-failed { border-left-color: #b91c1c; } .status-failed .status { color: #b91c1c; }
.status-running { border-left-color: #b45309; } .status-running .status { color: #b45309; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
figure { margin: 0 0 14px; }
figure svg { display: block; width: 100%; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
.no-data { margin: 0; padding: 28px 16px; text-align: center; color: var(--muted); border: 1px dashed #d1d5db; border-radius: 8px; }
table { width: auto; min-width: 60%; max-width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; overflow-wrap: break-word; }
td:first-child { overflow-wrap: anywhere; min-width: 16em; }
th { font-weight: 600; color: var(--muted); border-bottom-color: #d1d5db; vertical-align: bottom; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tfoot td { font-weight: 600; border-top: 1px solid #d1d5db; border-bottom: 0; }
@media (max-width: 640px) { .totals { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
@page { margin: 12mm; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .report-header, .panel { border: 0; border-radius: 0; padding: 0; margin: 0 0 8mm; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table { font-size: 9pt; }
  td:first-child { min-width: 10em; }
  figure, .tile, tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
