import type { Stream } from '../connector/stream.js';
import { sharedPool, type WorkerPool } from '../workers/pool.js';
import { DECODE_WORKER } from './decode.js';

/**
 * The decode threads of a run of `streams`: the process's one pool, its threads preloading every stream's decode
 * module. The run uses it; the CLI calls it too, with the same streams, to start the threads early (they load
 * their modules on another core while this thread loads the engine).
 */
export function decodePoolFor(streams: readonly Stream[], workers?: number): WorkerPool {
  const preload = streams.flatMap((s) => (s.decoder ? [s.decoder.href] : []));
  return sharedPool(DECODE_WORKER, workers, { preload });
}
