import type { RunSummary } from '../pipeline/summary.js';
import { totalRows } from '../pipeline/summary.js';

/** The end-of-run summary for people (stdout). */
export function formatSummary(s: RunSummary): string {
  const secs = s.durationMs / 1000;
  const rows = totalRows(s);
  const lines = [
    `run ${s.runId} ${s.status} in ${secs.toFixed(1)} s -> ${s.destination}`,
    `  ${rows} rows loaded (${Math.round(rows / Math.max(secs, 0.001))} rows/s), ${s.requests} requests, ${s.retries} retries`,
  ];
  for (const st of s.streams) {
    const skipped = st.windowsSkipped ? `, ${st.windowsSkipped} resumed from checkpoints` : '';
    lines.push(
      `  ${st.stream}: ${st.mode}, ${st.windows} window(s)${skipped}, ${st.rows} rows, ${st.received} received, ${st.rejected} rejected, watermark ${st.watermark ?? '-'}`,
    );
    for (const m of st.mismatches) {
      lines.push(`    reconciliation: window ${m.window}: API total ${m.expected}, loaded ${m.loaded}`);
    }
  }
  return lines.join('\n');
}
