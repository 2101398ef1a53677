import type { DestinationConfig } from '../config/schema.js';
import type { Destination } from './destination.js';
import { DuckDBDestination } from './duckdb/destination.js';
import { ParquetDestination } from './parquet/destination.js';

export type {
  CommitUnit,
  Destination,
  OpenOptions,
  RejectRow,
  RunRecord,
  StateKey,
  StateValue,
} from './destination.js';
export { DuckDBDestination } from './duckdb/destination.js';
export { LockedError } from './errors.js';
export { ParquetDestination } from './parquet/destination.js';
export { Stager } from './staging.js';

/** One strategy per storage kind, chosen by the config's `type`. */
export function createDestination(cfg: DestinationConfig): Destination {
  switch (cfg.type) {
    case 'duckdb':
      return new DuckDBDestination(cfg.path, { memoryLimit: cfg.memory_limit });
    case 'parquet':
      return new ParquetDestination(cfg.dir, { memoryLimit: cfg.memory_limit });
  }
}
