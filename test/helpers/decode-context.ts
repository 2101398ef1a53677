/**
 * A WindowContext for calling a stream's extract directly in a test: `decode` runs the connector's decode module
 * on a real worker thread of the engine's decode worker, as a run does, and the rows it would stage come back in
 * the chunk's batch, read from the very Parquet bytes the thread encoded for staging.
 */
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm/node';
import { afterAll } from 'vitest';
import type { Decoding, ExtractChunk, StreamContext, WindowContext } from '../../src/connector/stream.js';
import { DECODE_WORKER } from '../../src/pipeline/decode.js';
import type { DecodeTask, EncodedRows } from '../../src/workers/decode-worker.js';
import { WorkerPool } from '../../src/workers/pool.js';

/** Staged Parquet bytes -> the record batch a commit would read. */
export function parquetBatch(bytes: Uint8Array): arrow.RecordBatch | null {
  const { batches } = arrow.tableFromIPC(pw.readParquet(bytes).intoIPCStream());
  if (batches.length > 1) throw new Error(`a staged file read back as ${batches.length} batches`);
  return batches[0] ?? null;
}

/** Call at the top level of a test file: one decode thread for its tests, closed after them. */
export function decodeTestKit(threads = 1) {
  const pool = new WorkerPool(DECODE_WORKER, threads);
  afterAll(() => pool.close());

  return (ctx: StreamContext): WindowContext => ({
    ...ctx,
    decode<P, H>(module: URL, payload: P, transfer: readonly ArrayBuffer[] = []): Decoding<H> {
      const task: DecodeTask = { module: module.href, payload };
      const run = pool.run<EncodedRows>(task, transfer);
      const chunk = run.result.then(
        (r): ExtractChunk => ({
          batch: r.parquet ? parquetBatch(r.parquet) : r.ipc ? arrow.tableFromIPC(r.ipc).batches[0] : null,
          rejects: r.rejects,
          received: r.received,
          counters: r.counters,
          warnings: r.warnings,
        }),
      );
      chunk.catch(() => undefined);
      return { head: run.part as Promise<H>, chunk };
    },
  });
}
