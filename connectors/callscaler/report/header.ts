import { formatCents, formatInstant, formatInteger, formatRatio, MISSING } from './format.js';
import { escapeHtml } from './html.js';
import type { LastRun, ReportHeader } from './report-data.js';

/** "2026-03-01 to 2026-03-31" (both inclusive). */
export function dateRangeText(header: ReportHeader): string {
  const { start, end } = header.date_range;
  return start === end ? start : `${start} to ${end}`;
}

/** Title, accounts, date range, the totals as tiles, and how fresh the data is (the last sync run). */
export function renderHeader(header: ReportHeader): string {
  const t = header.totals;
  const accounts = header.accounts.length === 0 ? MISSING : header.accounts.join(', ');
  const tiles: [string, string][] = [
    ['Calls', formatInteger(t.calls)],
    ['Qualified leads', formatInteger(t.qualified_calls)],
    ['Qualification rate', formatRatio(t.qualified_calls, t.calls)],
    ['Cost', formatCents(t.cost_cents)],
    ['Value', formatCents(t.value_cents)],
    [
      'Cost per qualified lead',
      t.qualified_calls === 0 ? MISSING : formatCents(t.cost_cents / t.qualified_calls),
    ],
  ];
  return [
    '<header class="report-header">',
    `<h1>${escapeHtml(header.title)}</h1>`,
    '<p class="meta">',
    `<span>${header.accounts.length > 1 ? 'Accounts' : 'Account'}: <strong>${escapeHtml(accounts)}</strong></span>`,
    `<span>Calls created <strong>${escapeHtml(dateRangeText(header))}</strong></span>`,
    `<span>Generated <time datetime="${escapeHtml(header.generated_at)}">${escapeHtml(formatInstant(header.generated_at))}</time></span>`,
    '</p>',
    '<dl class="totals">',
    ...tiles.map(
      ([name, value]) => `<div class="tile"><dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd></div>`,
    ),
    '</dl>',
    renderLastRun(header.last_run),
    '</header>',
  ].join('\n');
}

const KNOWN_STATUSES = new Set(['succeeded', 'failed', 'running']);

function renderLastRun(run: LastRun | null): string {
  if (run === null)
    return '<p class="last-run status-none">Last sync: <strong>no sync run recorded</strong></p>';
  const status = KNOWN_STATUSES.has(run.status) ? run.status : 'other';
  const parts = [
    `Last sync: <strong class="status">${escapeHtml(run.status)}</strong>`,
    run.finished_at === null
      ? 'not finished'
      : `finished <time datetime="${escapeHtml(run.finished_at)}">${escapeHtml(formatInstant(run.finished_at))}</time>`,
    `${escapeHtml(formatInteger(run.rows))} ${run.rows === 1 ? 'row' : 'rows'}`,
    `run <code>${escapeHtml(run.run_id)}</code>`,
  ];
  const message = run.message === null ? '' : `<br><span class="message">${escapeHtml(run.message)}</span>`;
  return `<p class="last-run status-${status}">${parts.join(' · ')}${message}</p>`;
}
