import { parseArgs } from 'node:util';

export const PARTS = ['list', 'export', 'parquet', 'memory', 'latency', 'load'] as const;
export type Part = (typeof PARTS)[number];

export interface BenchOptions {
  readonly rows: number;
  readonly repeat: number;
  readonly only: ReadonlySet<Part>;
  readonly json: boolean;
  /** Window concurrency of the throughput runs (source.concurrency; the config default is 4). */
  readonly concurrency: number;
  readonly windowDays: number;
  /** Calls in the latency-bound runs. */
  readonly latencyRows: number;
  readonly latencyWindowDays: number;
  /** N for the memory part is --rows; the second size is N times this. */
  readonly memoryFactor: number;
  readonly workDir: string | undefined;
}

export const USAGE = `npm run bench -- [options]
  --rows N               calls for list/export/parquet/load and the memory part's first size (default 200000)
  --repeat K             measured runs of each side, alternating ours/limit (default 3)
  --only a,b             subset of: ${PARTS.join(', ')} (default: all)
  --json                 end with one JSON line on stdout
  --concurrency C        source.concurrency of the throughput runs (default 4, the config default)
  --window-days D        window_days of the throughput runs (default 7, the config default)
  --latency-rows N       calls in the latency-bound runs (default 20000)
  --latency-window-days D  window_days of the latency-bound runs (default 2)
  --memory-factor F      the memory part's second size is F x N (default 5)
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
      'memory-factor': { type: 'string' },
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
  return {
    rows: positiveInt('rows', values.rows, 200_000),
    repeat: positiveInt('repeat', values.repeat, 3),
    only,
    json: values.json ?? false,
    concurrency: positiveInt('concurrency', values.concurrency, 4),
    windowDays: positiveInt('window-days', values['window-days'], 7),
    latencyRows: positiveInt('latency-rows', values['latency-rows'], 20_000),
    latencyWindowDays: positiveInt('latency-window-days', values['latency-window-days'], 2),
    memoryFactor: positiveInt('memory-factor', values['memory-factor'], 5),
    workDir: values['work-dir'],
  };
}
