import { type DataShape, shapeNamed } from './shape.js';

/**
 * What every benchmark run shares: the stream settings and the pipeline.yaml built from them and a data shape
 * (shape.ts says where the data lies and which dates the file names).
 */

/** The builtin shape's data range (the load-path part builds its rows from it). */
export const ANCHOR = shapeNamed('builtin').anchor.slice(0, 10);
export const DAYS = shapeNamed('builtin').days;
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
  /** Unset: the file names none, and the planner decides (what a user who never set it gets). */
  readonly windowDays?: number;
}

/** The pipeline.yaml of a benchmark run: a first (backfill) run over the shape's dates (none: all history). */
export function benchPipelineYaml(
  s: StreamSettings,
  destination: DestinationSpec,
  shape: DataShape = shapeNamed('builtin'),
): string {
  const dest =
    destination.type === 'duckdb'
      ? `  type: duckdb\n  path: ${JSON.stringify(destination.path)}`
      : `  type: parquet\n  dir: ${JSON.stringify(destination.dir)}`;
  const dates = Object.entries(shape.streamDates)
    .map(([key, day]) => `    ${key}: ${day}\n`)
    .join('');
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
${dates}${s.windowDays === undefined ? '' : `    window_days: ${s.windowDays}\n`}destination:
${dest}
`;
}
