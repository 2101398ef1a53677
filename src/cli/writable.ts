import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import type { DestinationConfig } from '../config/schema.js';
import { ConfigError } from '../errors.js';

/**
 * Whether a run could write the destination, without writing anything: the file or folder if it exists, else
 * the nearest folder above it that exists (a run creates the rest). Returns what was checked.
 */
export async function checkWritable(cfg: DestinationConfig, baseDir: string): Promise<string> {
  const target = path.resolve(baseDir, cfg.type === 'duckdb' ? cfg.path : cfg.dir);
  const key = cfg.type === 'duckdb' ? 'destination.path' : 'destination.dir';
  let probe = target;
  for (;;) {
    const stat = await fs.stat(probe).catch(() => undefined);
    if (stat) {
      if (probe === target && cfg.type === 'duckdb' && stat.isDirectory()) {
        throw new ConfigError(`${key}: ${target} is a directory; expected the database file`);
      }
      if (probe !== target && !stat.isDirectory()) {
        throw new ConfigError(`${key}: ${probe} is a file, so ${target} cannot be created under it`);
      }
      try {
        await fs.access(probe, constants.W_OK);
      } catch {
        throw new ConfigError(`${key}: ${probe} is not writable by this user`);
      }
      const created = probe === target ? '' : ` (will be created under ${probe})`;
      return `${cfg.type} ${target} is writable${created}`;
    }
    const parent = path.dirname(probe);
    if (parent === probe) throw new ConfigError(`${key}: no existing folder above ${target}`);
    probe = parent;
  }
}
