import type { RunSummary } from '../pipeline/summary.js';
import { totalRows } from '../pipeline/summary.js';

/** The end-of-run summary for people (stdout). */
export function formatSummary(s: RunSummary): string {
  const secs = s.duration_ms / 1000;
  const rows = totalRows(s);
  const lines = [
    `run ${s.run_id} ${s.status} in ${secs.toFixed(1)} s -> ${s.destination ?? '-'}`,
    `  ${rows} rows loaded (${Math.round(rows / Math.max(secs, 0.001))} rows/s), ${s.requests} requests, ${s.retries} retries`,
  ];
  for (const st of s.streams) {
    const skipped = st.windows_skipped ? `, ${st.windows_skipped} resumed from checkpoints` : '';
    const counted = Object.entries(st.counters).map(([k, n]) => `, ${n} ${k.replaceAll('_', ' ')}`);
    lines.push(
      `  ${st.stream} [${st.account}]: ${st.mode}, ${st.windows} window(s)${skipped}, ${st.rows} rows, ${st.received} received, ${st.rejected} rejected${counted.join('')}, watermark ${st.watermark ?? '-'}`,
    );
    for (const m of st.mismatches) {
      lines.push(`    reconciliation: window ${m.window}: API total ${m.expected}, loaded ${m.loaded}`);
    }
  }
  for (const f of s.failed_accounts ?? [])
    lines.push(`  account ${f.account} FAILED [${f.code}]: ${f.message}`);
  if (s.error && !s.failed_accounts) lines.push(`  error [${s.error.code}]: ${s.error.message}`);
  return lines.join('\n');
}

/** The summary of a run that failed before it could record one (a bad config, a held lock). */
export function earlySummary(o: {
  runId: string;
  pipeline: string | null;
  startedMs: number;
  error: { code: string; message: string };
}): RunSummary {
  return {
    status: 'failed',
    run_id: o.runId,
    pipeline: o.pipeline,
    destination: null,
    started_at: new Date(o.startedMs).toISOString(),
    duration_ms: Date.now() - o.startedMs,
    requests: 0,
    retries: 0,
    streams: [],
    error: o.error,
  };
}
