/**
 * The data a benchmark run syncs: what the simulator serves, which dates the pipeline.yaml names, and where
 * the data lies (the raw "limit" clients fetch only there). Everything is pinned, so the data, and so every
 * window, is the same whatever day the benchmark runs.
 */
export interface DataShape {
  readonly name: ShapeName;
  readonly describe: string;
  /** The simulator's data range [anchor - days, anchor). */
  readonly anchor: string;
  readonly days: number;
  /** Flags for the simulator process beyond --size, --port and --latency. */
  readonly simulatorArgs: readonly string[];
  /** The calls stream's start_date / end_date lines of the pipeline.yaml (none: the pipeline finds the range). */
  readonly streamDates: { readonly start_date?: string; readonly end_date?: string };
  /** The export's created_at column as its header spells it (the Parquet limit partitions on it). */
  readonly createdAtHeader: string;
}

export const SHAPES = ['independent', 'builtin'] as const;
export type ShapeName = (typeof SHAPES)[number];

const DAY_MS = 86_400_000;

/** YYYY-MM-DD of `anchor` minus `days`. */
export function firstDay(shape: DataShape): string {
  return new Date(Date.parse(shape.anchor) - shape.days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Like the independent CallScaler-compatible server of issue #15: every caller, tracking and destination number
 * already E.164, keyword cells joined with "; ", human CSV headers ("Caller Number", "Created At"), and a
 * history that ends three months before the provider's clock. The pipeline.yaml names no dates, as a user's
 * first `run` would: history from the oldest call to the provider's today.
 */
const INDEPENDENT: DataShape = {
  name: 'independent',
  describe:
    'E.164 numbers, "; " keyword cells, human CSV headers, history ending 3 months before the provider clock',
  anchor: '2026-08-01T00:00:00Z',
  days: 120,
  simulatorArgs: [
    '--phone-format',
    'e164',
    '--now',
    '2026-11-01T00:00:00Z',
    '--faults',
    JSON.stringify({ csv: { headers: 'human', lists: 'semicolon-space' } }),
  ],
  streamDates: {},
  createdAtHeader: 'Created At',
};

/**
 * The simulator's own defaults, as sessions 1 to 3 measured them: numbers in mixed carrier formats, snake_case
 * headers, JSON list cells, and start_date/end_date that frame the data exactly.
 */
const BUILTIN: DataShape = {
  name: 'builtin',
  describe:
    'mixed phone formats, snake_case CSV headers, JSON list cells, dates framing the data (sessions 1-3)',
  anchor: '2026-11-01T00:00:00Z',
  days: 120,
  simulatorArgs: [],
  streamDates: { start_date: '2026-07-04', end_date: '2026-11-01' },
  createdAtHeader: 'created_at',
};

export function shapeNamed(name: ShapeName): DataShape {
  return name === 'independent' ? INDEPENDENT : BUILTIN;
}

export interface WindowSpec {
  readonly startDate: string;
  readonly endDate: string;
}

/**
 * The windows the raw limits fetch: `windowDays` each (the last one shorter), over the days that hold data and
 * no others. Computed here, not by the engine's planner, so the limit stays the same whatever the planner does.
 */
export function limitWindows(shape: DataShape, windowDays: number): WindowSpec[] {
  const out: WindowSpec[] = [];
  const end = Date.parse(shape.anchor);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  for (let t = Date.parse(`${firstDay(shape)}T00:00:00Z`); t < end; t += windowDays * DAY_MS) {
    out.push({ startDate: day(t), endDate: day(Math.min(t + windowDays * DAY_MS, end)) });
  }
  return out;
}
