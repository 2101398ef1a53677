import { parseArgs } from 'node:util';
import { DEFAULT_CLI } from './process.js';
import { SHAPES, type ShapeName } from './shape.js';

export const PARTS = ['list', 'export', 'parquet', 'memory', 'latency', 'load', 'fixed'] as const;
export type Part = (typeof PARTS)[number];

export interface BenchOptions {
  readonly rows: number;
  readonly repeat: number;
  readonly only: ReadonlySet<Part>;
  readonly json: boolean;
  /** Window concurrency of the throughput runs (source.concurrency; the config default is 4). */
  readonly concurrency: number;
  /** window_days of the pipeline's throughput runs; unset, the file names none and the planner decides. */
  readonly windowDays: number | undefined;
  /** Days per window of the raw limits (7 unless --window-days says otherwise). */
  readonly limitWindowDays: number;
  /** Calls in the latency-bound runs. */
  readonly latencyRows: number;
  readonly latencyWindowDays: number;
  /** The memory part's first size; the second is this times memoryFactor. */
  readonly memoryRows: number;
  readonly memoryFactor: number;
  /** Runs of each fixed-cost measure (`--help`, `check`, the 1k-call sync). */
  readonly fixedRepeat: number;
  /** Calls in the fixed-cost sync. */
  readonly fixedRows: number;
  readonly shape: ShapeName;
  /** The CLI the whole-process runs spawn (`node <cli> run ...`). */
  readonly cli: string;
  readonly workDir: string | undefined;
}

export const USAGE = `npm run bench -- [options]
  --rows N               calls for list/export/parquet/load (default 200000)
  --repeat K             measured runs of each side, alternating ours/limit (default 3)
  --only a,b             subset of: ${PARTS.join(', ')} (default: all)
  --json                 end with one JSON line on stdout
  --shape S              the data: ${SHAPES.join(' | ')} (default independent: E.164 numbers, "; " keyword
                         cells, human CSV headers, history ending 3 months before the provider clock;
                         builtin: the simulator's defaults, as sessions 1-3 measured)
  --concurrency C        source.concurrency of the throughput runs (default 4, the config default)
  --window-days D        window_days of the throughput runs and the limits' windows (default: none in the
                         pipeline.yaml, the planner decides; 7-day windows for the limits)
  --latency-rows N       calls in the latency-bound runs (default 20000)
  --latency-window-days D  window_days of the latency-bound runs (default 2)
  --memory-rows N        the memory part's first size (default: 100000, or --rows if smaller)
  --memory-factor F      the memory part's second size is F x its first (default 10: 100k and 1M)
  --fixed-rows N         calls in the fixed-cost sync (default 1000)
  --fixed-repeat K       runs of --help, check and the fixed-cost sync each (default 10)
  --cli FILE             the CLI the whole-process runs spawn (default: this build's dist/src/cli/main.js)
  --work-dir DIR         where run outputs go (default: a temp dir, removed at the end)`;

function positiveInt(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: expected a positive integer, got ${v}`);
  return n;
}

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string' },
      repeat: { type: 'string' },
      only: { type: 'string' },
      json: { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      'window-days': { type: 'string' },
      'latency-rows': { type: 'string' },
      'latency-window-days': { type: 'string' },
      'memory-rows': { type: 'string' },
      'memory-factor': { type: 'string' },
      'fixed-rows': { type: 'string' },
      'fixed-repeat': { type: 'string' },
      shape: { type: 'string' },
      cli: { type: 'string' },
      'work-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const only = new Set<Part>();
  for (const p of (values.only ?? PARTS.join(',')).split(',').map((s) => s.trim())) {
    if (p === '') continue;
    if (!(PARTS as readonly string[]).includes(p)) {
      throw new Error(`--only: unknown part "${p}"; expected some of ${PARTS.join(', ')}`);
    }
    only.add(p as Part);
  }
  const shape = values.shape ?? 'independent';
  if (!(SHAPES as readonly string[]).includes(shape)) {
    throw new Error(`--shape: expected one of ${SHAPES.join(', ')}, got ${shape}`);
  }
  const rows = positiveInt('rows', values.rows, 200_000);
  const windowDays =
    values['window-days'] === undefined ? undefined : positiveInt('window-days', values['window-days'], 7);
  return {
    rows,
    repeat: positiveInt('repeat', values.repeat, 3),
    only,
    json: values.json ?? false,
    concurrency: positiveInt('concurrency', values.concurrency, 4),
    windowDays,
    limitWindowDays: windowDays ?? 7,
    latencyRows: positiveInt('latency-rows', values['latency-rows'], 20_000),
    latencyWindowDays: positiveInt('latency-window-days', values['latency-window-days'], 2),
    memoryRows: positiveInt('memory-rows', values['memory-rows'], Math.min(100_000, rows)),
    memoryFactor: positiveInt('memory-factor', values['memory-factor'], 10),
    fixedRows: positiveInt('fixed-rows', values['fixed-rows'], 1000),
    fixedRepeat: positiveInt('fixed-repeat', values['fixed-repeat'], 10),
    shape: shape as ShapeName,
    cli: values.cli ?? DEFAULT_CLI,
    workDir: values['work-dir'],
  };
}
