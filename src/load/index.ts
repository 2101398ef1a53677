import path from 'node:path';
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

/**
 * One strategy per storage kind, chosen by the config's `type`. Relative paths resolve against `baseDir` (the
 * pipeline file's directory, so a scheduler's working directory does not move the data).
 */
export function createDestination(cfg: DestinationConfig, baseDir: string): Destination {
  switch (cfg.type) {
    case 'duckdb':
      return new DuckDBDestination(path.resolve(baseDir, cfg.path), {
        memoryLimit: cfg.memory_limit,
        schema: cfg.schema,
      });
    case 'parquet':
      return new ParquetDestination(path.resolve(baseDir, cfg.dir), { memoryLimit: cfg.memory_limit });
  }
}
