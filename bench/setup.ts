import { dateWindows } from '../src/pipeline/windows.js';

/**
 * What every benchmark run shares: the simulator's data range, the stream settings, and the windows the
 * pipeline will plan from them, so the raw "limit" clients send exactly the requests the pipeline sends.
 */

/** Pinned so that the data, and so every window, is the same whatever day the benchmark runs. */
export const ANCHOR = '2026-11-01';
export const DAYS = 120;
export const START_DATE = '2026-07-04';
export const END_DATE = ANCHOR;
export const API_KEY = 'cs_key_simulator';
export const PAGE_SIZE = 500;
export const INCLUDE = ['transcription', 'summary'] as const;
/**
 * The config's maximum. The benchmark measures the code, not the politeness throttle: at the default 10/s a
 * 200k-call list run (400 pages) would take 40 s whatever the code does. The raw limits are not throttled
 * either.
 */
export const REQUESTS_PER_SECOND = 1000;

export type Extract = 'list' | 'export';
export type DestinationSpec = { type: 'duckdb'; path: string } | { type: 'parquet'; dir: string };

export interface StreamSettings {
  readonly extract: Extract;
  readonly concurrency: number;
  readonly windowDays: number;
}

export interface WindowSpec {
  readonly startDate: string;
  readonly endDate: string;
}

export function benchWindows(windowDays: number): WindowSpec[] {
  return dateWindows(START_DATE, END_DATE, windowDays).map((w) => ({
    startDate: w.startDate!,
    endDate: w.endDate!,
  }));
}

/** The pipeline.yaml of a benchmark run: a first (backfill) run over [START_DATE, END_DATE). */
export function benchPipelineYaml(s: StreamSettings, destination: DestinationSpec): string {
  const dest =
    destination.type === 'duckdb'
      ? `  type: duckdb\n  path: ${JSON.stringify(destination.path)}`
      : `  type: parquet\n  dir: ${JSON.stringify(destination.dir)}`;
  return `version: 1
name: bench
source:
  base_url: \${CALLSCALER_BASE_URL}
  api_key: \${CALLSCALER_API_KEY}
  concurrency: ${s.concurrency}
  requests_per_second: ${REQUESTS_PER_SECOND}
  page_size: ${PAGE_SIZE}
streams:
  calls:
    extract: ${s.extract}
    sync: incremental
    include: [${INCLUDE.join(', ')}]
    start_date: ${START_DATE}
    end_date: ${END_DATE}
    window_days: ${s.windowDays}
destination:
${dest}
`;
}
