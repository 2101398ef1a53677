import type { Decoding, ExtractChunk, WindowContext } from '../connector/stream.js';
import type { Stager } from '../load/staging.js';
import type { DecodeTask, EncodedRows } from '../workers/decode-worker.js';
import type { WorkerPool } from '../workers/pool.js';

/** The worker entry that runs connectors' decode modules (see decode-worker.ts). */
export const DECODE_WORKER = new URL('../workers/decode-worker.js', import.meta.url);

/**
 * `WindowContext.decode` for one window attempt: the payload goes to a decode thread, the rows it sends back are
 * written to the window's staging in the order decode was called, and the chunk carries the rest (counts,
 * rejects) with no batch, since its rows are staged already. Rows the decoder hands back are in the chunk's
 * batch instead, and the stream yields them to be staged (their place in the order is then the yield's).
 */
export function windowDecoder(pool: WorkerPool, stager: Stager): WindowContext['decode'] {
  return <P, H>(module: URL, payload: P, transfer: readonly ArrayBuffer[] = []): Decoding<H> => {
    const stage = stager.reserve();
    const task: DecodeTask = { module: module.href, payload };
    const run = pool.run<EncodedRows>(task, transfer);
    const chunk = run.result.then(async (r): Promise<ExtractChunk> => {
      if (r.parquet) await stage(r.parquet, r.rows, r.columns);
      return {
        batch: r.ipc ? await handedBack(r.ipc) : null,
        rejects: r.rejects,
        received: r.received,
        counters: r.counters,
        warnings: r.warnings,
      };
    });
    // The caller may stop before it awaits the chunk (an error in between): not an unhandled rejection.
    chunk.catch(() => undefined);
    return { head: run.part as Promise<H>, chunk };
  };
}

/** Rows a decoder handed back (Arrow IPC): apache-arrow loads only when some are, so a list run's thread never. */
async function handedBack(ipc: Uint8Array) {
  const { tableFromIPC } = await import('apache-arrow');
  return tableFromIPC(ipc).batches[0] ?? null;
}
