/** Medians, ratios, targets, and the two outputs: a table for people and one JSON line for machines. */

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface PairTimes {
  ours: number[];
  limit: number[];
}

export interface Results {
  rows: number;
  list: PairTimes;
  export: PairTimes;
  parquet: PairTimes;
  /** Peak RSS (MB) of the export runs at N and at memoryFactor x N. */
  rssN: number[];
  rss5N: number[];
  memoryRows: number;
  latency: { c1: number[]; c8: number[]; rows: number };
  load: {
    rows: number;
    staging: number[];
    stage: number[];
    commit: number[];
    cells: number[];
    chunks: number[];
  };
  failures: string[];
}

export function emptyResults(rows: number): Results {
  return {
    rows,
    list: { ours: [], limit: [] },
    export: { ours: [], limit: [] },
    parquet: { ours: [], limit: [] },
    rssN: [],
    rss5N: [],
    memoryRows: 0,
    latency: { c1: [], c8: [], rows: 0 },
    load: { rows: 0, staging: [], stage: [], commit: [], cells: [], chunks: [] },
    failures: [],
  };
}

const round = (x: number | null, digits = 2): number | null =>
  x === null || !Number.isFinite(x) ? null : Number(x.toFixed(digits));

function ratio(p: PairTimes): number | null {
  const o = median(p.ours);
  const l = median(p.limit);
  return o === null || l === null || l === 0 ? null : o / l;
}

function rowsPerS(rows: number, ms: number | null): number | null {
  return ms === null || ms === 0 ? null : rows / (ms / 1000);
}

/** The machine-readable summary; null where a part was not run or failed. */
export function jsonSummary(r: Results): Record<string, number | null> {
  const c1 = median(r.latency.c1);
  const c8 = median(r.latency.c8);
  return {
    rows: r.rows,
    list_ratio: round(ratio(r.list)),
    export_ratio: round(ratio(r.export)),
    parquet_ratio: round(ratio(r.parquet)),
    list_rows_per_s: round(rowsPerS(r.rows, median(r.list.ours)), 0),
    export_rows_per_s: round(rowsPerS(r.rows, median(r.export.ours)), 0),
    rss_mb_n: round(median(r.rssN), 1),
    rss_mb_5n: round(median(r.rss5N), 1),
    parallel_speedup: round(c1 === null || c8 === null || c8 === 0 ? null : c1 / c8),
  };
}

type Verdict = 'yes' | 'NO' | '-';
const verdict = (ok: boolean | null): Verdict => (ok === null ? '-' : ok ? 'yes' : 'NO');
const fmt = (x: number | null, digits = 2) => (x === null ? '-' : x.toFixed(digits));
const sec = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(2)} s`);
const perS = (x: number | null) => (x === null ? '-' : `${Math.round(x).toLocaleString('en-US')}/s`);

/** A Markdown table (pasted as is into BENCHMARKS.md). */
export function table(r: Results): string {
  const j = jsonSummary(r);
  const lines = [
    '| measure | ours (median) | limit (median) | ratio ours/limit | ours rows/s | target | met |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  const pair = (name: string, p: PairTimes, target: number) => {
    const x = ratio(p);
    lines.push(
      `| ${name} | ${sec(median(p.ours))} | ${sec(median(p.limit))} | ${fmt(x)} | ${perS(rowsPerS(r.rows, median(p.ours)))} | <= ${target} | ${verdict(x === null ? null : x <= target)} |`,
    );
  };
  pair(`list → DuckDB (${r.rows} calls)`, r.list, 1.5);
  pair(`export → DuckDB (${r.rows} calls)`, r.export, 3.0);
  pair(`export → Parquet (${r.rows} calls)`, r.parquet, 3.0);
  const n = j.rss_mb_n;
  const n5 = j.rss_mb_5n;
  const memOk = n === null || n5 === null ? null : n5 <= 1.2 * n && n5 < 300;
  lines.push(
    `| peak RSS, export → DuckDB | N=${r.rows}: ${fmt(n, 0)} MB | ${r.memoryRows || '5N'}: ${fmt(n5, 0)} MB | ${n === null || n5 === null ? '-' : (n5 / n).toFixed(2)} (5N/N) | | 5N <= 1.2 x N and < 300 MB | ${verdict(memOk)} |`,
  );
  const s = j.parallel_speedup;
  lines.push(
    `| latency-bound list, 100 ms/request (${r.latency.rows} calls) | c=1: ${sec(median(r.latency.c1))} | c=8: ${sec(median(r.latency.c8))} | speedup ${fmt(s)} | | speedup >= 5 | ${verdict(s === null ? null : s >= 5)} |`,
  );
  const L = r.load;
  lines.push(
    `| load path (a) Parquet staging + commit (${L.rows} rows) | ${sec(median(L.staging))} (stage ${sec(median(L.stage))}, commit ${sec(median(L.commit))}) | | | ${perS(rowsPerS(L.rows, median(L.staging)))} | | |`,
    `| load path (b) appender, per-cell appends | ${sec(median(L.cells))} | | | ${perS(rowsPerS(L.rows, median(L.cells)))} | | |`,
    `| load path (b') appender, DataChunks | ${sec(median(L.chunks))} | | | ${perS(rowsPerS(L.rows, median(L.chunks)))} | | |`,
  );
  return lines.join('\n');
}

/** Every measurement, for the record (medians hide spread). */
export function rawTimes(r: Results): string {
  const s = (xs: readonly number[]) =>
    xs.length === 0 ? '-' : xs.map((x) => (x / 1000).toFixed(2)).join(', ');
  const mb = (xs: readonly number[]) => (xs.length === 0 ? '-' : xs.map((x) => x.toFixed(0)).join(', '));
  return [
    `list    ours [s]: ${s(r.list.ours)} | limit [s]: ${s(r.list.limit)}`,
    `export  ours [s]: ${s(r.export.ours)} | limit [s]: ${s(r.export.limit)}`,
    `parquet ours [s]: ${s(r.parquet.ours)} | limit [s]: ${s(r.parquet.limit)}`,
    `peak RSS [MB]: N: ${mb(r.rssN)} | ${r.memoryRows || '5N'}: ${mb(r.rss5N)}`,
    `latency [s]: c=1: ${s(r.latency.c1)} | c=8: ${s(r.latency.c8)}`,
    `load [s]: staging: ${s(r.load.staging)} (stage ${s(r.load.stage)}; commit ${s(r.load.commit)}) | cells: ${s(r.load.cells)} | chunks: ${s(r.load.chunks)}`,
  ].join('\n');
}
