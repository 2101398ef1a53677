/**
 * Worker-thread entry of the engine's decoding: runs a connector's decode module (see `WindowContext.decode`) on
 * a payload, then encodes the rows as one staging Parquet file here, so the main thread is left with the network
 * and the loader. The file's bytes are transferred back, not copied.
 */
import { workerData } from 'node:worker_threads';
import * as arrow from 'apache-arrow';
import type { DecodeFn, StreamReject } from '../connector/stream.js';
import { toParquet } from '../load/parquet-bytes.js';
import { serveTasks } from './serve.js';
import { transferable } from './transfer.js';

export interface DecodeTask {
  /** URL of a module that exports `decode` (a DecodeFn). */
  readonly module: string;
  readonly payload: unknown;
}

/** The decoded rows, ready to stage (or handed back as Arrow IPC). */
export interface EncodedRows {
  readonly parquet: Uint8Array | null;
  /** The rows as an Arrow IPC stream, when the decoder hands them back instead (`DecodedRows.handBack`). */
  readonly ipc: Uint8Array | null;
  readonly rows: number;
  /** The columns of the encoded rows (a stream may leave out what its source did not carry). */
  readonly columns: readonly string[];
  readonly rejects: readonly StreamReject[];
  readonly received: number;
  readonly counters?: Readonly<Record<string, number>>;
  readonly warnings?: readonly string[];
}

const modules = new Map<string, Promise<DecodeFn>>();

function decoderOf(module: string): Promise<DecodeFn> {
  let found = modules.get(module);
  if (!found) {
    found = import(module).then((m: { decode?: unknown }) => {
      if (typeof m.decode !== 'function') throw new TypeError(`decode module ${module} exports no decode()`);
      return m.decode as DecodeFn;
    });
    modules.set(module, found);
  }
  return found;
}

// Modules the run will need are loaded while the thread would otherwise idle (its caller probes the API meanwhile);
// a failure to load surfaces with the first task that needs the module.
for (const m of (workerData as { preload?: string[] } | null)?.preload ?? [])
  decoderOf(m).catch(() => undefined);

serveTasks(async (task: DecodeTask, head) => {
  const decode = await decoderOf(task.module);
  const decoded = await decode(task.payload, head);
  const rows = decoded.batch?.numRows ?? 0;
  const table = decoded.batch && rows > 0 ? new arrow.Table(decoded.batch) : null;
  const encode = (handBack: boolean) =>
    table && (decoded.handBack === true) === handBack
      ? transferable(handBack ? arrow.tableToIPC(table, 'stream') : toParquet(table))
      : null;
  const parquet = encode(false);
  const ipc = encode(true);
  const columns = decoded.batch?.schema.fields.map((f) => f.name) ?? [];
  const { rejects, received, counters, warnings } = decoded;
  const value: EncodedRows = { parquet, ipc, rows, columns, rejects, received, counters, warnings };
  return { value, transfer: [parquet, ipc].flatMap((b) => (b ? [b.buffer] : [])) };
});
