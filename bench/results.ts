/** Every figure a benchmark invocation collects (milliseconds and MB), and the statistics over them. */

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One throughput measure (list, export or Parquet): ours and its limit, pipeline only and whole process. */
export interface PairTimes {
  /** Ours, pipeline only: runPipeline in a child, from its start to its end. */
  ours: number[];
  /** The limit's measured part: raw fetch + DuckDB's reader, in its own process. */
  limit: number[];
  /** Ours, whole process: `node <cli> run -c FILE --json`, from spawn to exit. */
  oursProcess: number[];
  /** The limit's process, from fork to exit (the same runs as `limit`). */
  limitProcess: number[];
  /** Peak RSS of the whole-process runs of ours. */
  rssProcess: number[];
}

export interface Results {
  rows: number;
  shape: string;
  list: PairTimes;
  export: PairTimes;
  parquet: PairTimes;
  /** Peak RSS (MB) of whole-process export → DuckDB runs at two sizes. */
  memory: { rowsSmall: number; rowsLarge: number; small: number[]; large: number[] };
  latency: { c1: number[]; c8: number[]; rows: number };
  load: {
    rows: number;
    staging: number[];
    stage: number[];
    commit: number[];
    cells: number[];
    chunks: number[];
  };
  /**
   * Fixed cost per process: `--help`, `check` and a small first sync, each spawn to exit; with the CPU time of
   * each process (all threads), which other work on the machine sways less than wall time.
   */
  fixed: {
    rows: number;
    help: number[];
    check: number[];
    sync: number[];
    syncRss: number[];
    helpCpu: number[];
    checkCpu: number[];
    syncCpu: number[];
  };
  failures: string[];
}

const pair = (): PairTimes => ({ ours: [], limit: [], oursProcess: [], limitProcess: [], rssProcess: [] });

export function emptyResults(rows: number, shape: string): Results {
  return {
    rows,
    shape,
    list: pair(),
    export: pair(),
    parquet: pair(),
    memory: { rowsSmall: 0, rowsLarge: 0, small: [], large: [] },
    latency: { c1: [], c8: [], rows: 0 },
    load: { rows: 0, staging: [], stage: [], commit: [], cells: [], chunks: [] },
    fixed: { rows: 0, help: [], check: [], sync: [], syncRss: [], helpCpu: [], checkCpu: [], syncCpu: [] },
    failures: [],
  };
}

/** median(ours) / median(limit); null when either side has no run. */
export function ratio(ours: readonly number[], limit: readonly number[]): number | null {
  const o = median(ours);
  const l = median(limit);
  return o === null || l === null || l === 0 ? null : o / l;
}

export function rowsPerS(rows: number, ms: number | null): number | null {
  return ms === null || ms === 0 ? null : rows / (ms / 1000);
}
