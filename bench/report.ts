/** The two outputs: Markdown tables for people, one JSON line for machines (the same figures). */
import { median, type PairTimes, type Results, ratio, rowsPerS } from './results.js';
import { type Verdict, verdicts } from './targets.js';

// Standalone measurements (tasks/phones.ts) take their median from here.
export { median } from './results.js';

const round = (x: number | null, digits = 2): number | null =>
  x === null || !Number.isFinite(x) ? null : Number(x.toFixed(digits));
const fmt = (x: number | null, digits = 2) => (x === null ? '-' : x.toFixed(digits));
const sec = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(2)} s`);
const perS = (x: number | null) => (x === null ? '-' : `${Math.round(x).toLocaleString('en-US')}/s`);
const met = (v: Verdict) => (v.met === null ? '-' : v.met ? 'met' : 'NOT met');

function figure(v: Verdict): string {
  if (v.figure === null) return '-';
  if (v.unit === 'x') return `${v.figure.toFixed(2)}`;
  if (v.unit === 's') return `${v.figure.toFixed(2)} s`;
  return `${v.figure.toFixed(0)} MB`;
}

/** The machine-readable summary; null where a part was not run or failed. */
export function jsonSummary(r: Results): Record<string, unknown> {
  const c1 = median(r.latency.c1);
  const c8 = median(r.latency.c8);
  const small = median(r.memory.small);
  const large = median(r.memory.large);
  const pairJson = (name: string, p: PairTimes) => ({
    [`${name}_ratio`]: round(ratio(p.ours, p.limit)),
    [`${name}_ratio_process`]: round(ratio(p.oursProcess, p.limitProcess)),
    [`${name}_s_process`]: round((median(p.oursProcess) ?? Number.NaN) / 1000),
    [`${name}_limit_s_process`]: round((median(p.limitProcess) ?? Number.NaN) / 1000),
  });
  return {
    rows: r.rows,
    shape: r.shape,
    ...pairJson('list', r.list),
    ...pairJson('export', r.export),
    ...pairJson('parquet', r.parquet),
    list_rows_per_s: round(rowsPerS(r.rows, median(r.list.ours)), 0),
    export_rows_per_s: round(rowsPerS(r.rows, median(r.export.ours)), 0),
    rss_rows_small: r.memory.rowsSmall || null,
    rss_mb_small: round(small, 1),
    rss_rows_large: r.memory.rowsLarge || null,
    rss_mb_large: round(large, 1),
    parallel_speedup: round(c1 === null || c8 === null || c8 === 0 ? null : c1 / c8),
    fixed_rows: r.fixed.rows || null,
    fixed_sync_s: round((median(r.fixed.sync) ?? Number.NaN) / 1000, 3),
    fixed_sync_cpu_s: round((median(r.fixed.syncCpu) ?? Number.NaN) / 1000, 3),
    check_s: round((median(r.fixed.check) ?? Number.NaN) / 1000, 3),
    help_s: round((median(r.fixed.help) ?? Number.NaN) / 1000, 3),
    targets: Object.fromEntries(
      verdicts(r).map((v) => [v.key, { figure: round(v.figure, 3), target: v.target, met: v.met }]),
    ),
  };
}

/** The targets, each with its figure and met / NOT met. */
export function targetTable(r: Results): string {
  const lines = ['| target | figure | wanted | |', '| --- | --- | --- | --- |'];
  for (const v of verdicts(r)) lines.push(`| ${v.label} | ${figure(v)} | ${v.target} | ${met(v)} |`);
  return lines.join('\n');
}

/** Every measure, pipeline only and whole process side by side (pasted as is into BENCHMARKS.md). */
export function table(r: Results): string {
  const lines = [
    '| measure | ours (median) | limit (median) | ratio ours/limit | ours rows/s |',
    '| --- | --- | --- | --- | --- |',
  ];
  const pairRows = (name: string, p: PairTimes) => {
    lines.push(
      `| ${name}, whole process | ${sec(median(p.oursProcess))} | ${sec(median(p.limitProcess))} | ${fmt(ratio(p.oursProcess, p.limitProcess))} | ${perS(rowsPerS(r.rows, median(p.oursProcess)))} |`,
      `| ${name}, pipeline only | ${sec(median(p.ours))} | ${sec(median(p.limit))} | ${fmt(ratio(p.ours, p.limit))} | ${perS(rowsPerS(r.rows, median(p.ours)))} |`,
    );
  };
  pairRows(`list → DuckDB (${r.rows} calls)`, r.list);
  pairRows(`export → DuckDB (${r.rows} calls)`, r.export);
  pairRows(`export → Parquet (${r.rows} calls)`, r.parquet);
  const M = r.memory;
  const small = median(M.small);
  const large = median(M.large);
  lines.push(
    `| peak RSS, export → DuckDB, whole process | ${M.rowsSmall || '-'}: ${fmt(small, 0)} MB | ${M.rowsLarge || '-'}: ${fmt(large, 0)} MB | ${small === null || large === null ? '-' : (large / small).toFixed(2)} (large/small) | |`,
  );
  const c1 = median(r.latency.c1);
  const c8 = median(r.latency.c8);
  lines.push(
    `| latency-bound list, 100 ms/request (${r.latency.rows} calls), pipeline only | c=1: ${sec(c1)} | c=8: ${sec(c8)} | speedup ${fmt(c1 === null || c8 === null ? null : c1 / c8)} | |`,
  );
  const F = r.fixed;
  const cpu = (xs: number[]) => (xs.length === 0 ? '' : ` (CPU ${sec(median(xs))})`);
  lines.push(
    `| fixed cost: ${F.rows}-call first sync, whole process | ${sec(median(F.sync))}${cpu(F.syncCpu)} | | | |`,
    `| fixed cost: \`check\` (one request), whole process | ${sec(median(F.check))}${cpu(F.checkCpu)} | | | |`,
    `| fixed cost: \`--help\`, whole process | ${sec(median(F.help))}${cpu(F.helpCpu)} | | | |`,
  );
  const L = r.load;
  lines.push(
    `| load path (a) Parquet staging + commit (${L.rows} rows) | ${sec(median(L.staging))} (stage ${sec(median(L.stage))}, commit ${sec(median(L.commit))}) | | | ${perS(rowsPerS(L.rows, median(L.staging)))} |`,
    `| load path (b) appender, per-cell appends | ${sec(median(L.cells))} | | | ${perS(rowsPerS(L.rows, median(L.cells)))} |`,
    `| load path (b') appender, DataChunks | ${sec(median(L.chunks))} | | | ${perS(rowsPerS(L.rows, median(L.chunks)))} |`,
  );
  return lines.join('\n');
}

/** Every measurement, for the record (medians hide spread). */
export function rawTimes(r: Results): string {
  const s = (xs: readonly number[]) =>
    xs.length === 0 ? '-' : xs.map((x) => (x / 1000).toFixed(2)).join(', ');
  const ms = (xs: readonly number[]) => (xs.length === 0 ? '-' : xs.map((x) => x.toFixed(0)).join(', '));
  const mb = ms;
  const pairLine = (name: string, p: PairTimes) =>
    `${name} ours [s]: ${s(p.ours)} | limit [s]: ${s(p.limit)} | whole process: ours [s]: ${s(p.oursProcess)} | limit [s]: ${s(p.limitProcess)} | ours peak RSS [MB]: ${mb(p.rssProcess)}`;
  return [
    pairLine('list   ', r.list),
    pairLine('export ', r.export),
    pairLine('parquet', r.parquet),
    `peak RSS [MB], whole process: ${r.memory.rowsSmall || '-'}: ${mb(r.memory.small)} | ${r.memory.rowsLarge || '-'}: ${mb(r.memory.large)}`,
    `latency [s]: c=1: ${s(r.latency.c1)} | c=8: ${s(r.latency.c8)}`,
    `fixed [ms]: sync ${r.fixed.rows} calls: ${ms(r.fixed.sync)} (CPU ${ms(r.fixed.syncCpu)}; peak RSS [MB] ${mb(r.fixed.syncRss)}) | check: ${ms(r.fixed.check)} (CPU ${ms(r.fixed.checkCpu)}) | --help: ${ms(r.fixed.help)} (CPU ${ms(r.fixed.helpCpu)})`,
    `load [s]: staging: ${s(r.load.staging)} (stage ${s(r.load.stage)}; commit ${s(r.load.commit)}) | cells: ${s(r.load.cells)} | chunks: ${s(r.load.chunks)}`,
  ].join('\n');
}
