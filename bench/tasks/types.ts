import type { DestinationSpec, Extract } from '../setup.js';
import type { WindowSpec } from '../shape.js';

/** A simulator to talk to. */
export interface Endpoint {
  readonly baseUrl: string;
  readonly apiKey: string;
}

/** One measured unit of work, run in a child process of its own (so its RSS and heap are its own). */
export type Task =
  | {
      readonly kind: 'pipeline';
      readonly yaml: string;
      readonly endpoint: Endpoint;
      readonly destination: DestinationSpec;
      readonly extract: Extract;
      readonly expectRows: number;
    }
  | {
      readonly kind: 'raw-list';
      readonly endpoint: Endpoint;
      readonly windows: readonly WindowSpec[];
      readonly concurrency: number;
      readonly workDir: string;
      readonly expectRows: number;
    }
  | {
      readonly kind: 'raw-export';
      readonly endpoint: Endpoint;
      readonly windows: readonly WindowSpec[];
      readonly concurrency: number;
      readonly workDir: string;
      /** duckdb: read_csv into a table; parquet: COPY ... TO a call_date-partitioned Parquet dataset. */
      readonly target: 'duckdb' | 'parquet';
      /** The export's created_at column as its header spells it ("Created At" with human headers). */
      readonly createdAtHeader: string;
      readonly expectRows: number;
    }
  | {
      readonly kind: 'load-path';
      readonly rows: number;
      readonly repeat: number;
      readonly workDir: string;
    };

export interface TaskResult {
  /** Wall time of the measured part only (no process start, no imports, no verification). */
  readonly ms: number;
  /** Rows the task reports (load path: rows built; pipeline: rows loaded; limits: 0, the parent counts). */
  readonly rows: number;
  /** Peak RSS of the child process (VmHWM), taken before verification. */
  readonly maxRssMb: number;
  /** RSS once modules were loaded, before the measured part. */
  readonly baseRssMb: number;
  /** Where a pipeline or limit task left its rows: the parent counts them once the process has exited. */
  readonly output?: DestinationSpec;
  readonly detail?: Readonly<Record<string, number | readonly number[]>>;
}

export type WorkerReply = { ok: true; result: TaskResult } | { ok: false; error: string };

export function rssMb(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

/** VmHWM: resourceUsage().maxRSS is in KiB on Linux. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
