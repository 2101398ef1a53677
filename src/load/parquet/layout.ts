import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { TableSchema } from '../../schema/table.js';
import type { StateKey } from '../destination.js';
import { fileComponent } from '../fsutil.js';
import { ident, literal } from '../sql.js';

/**
 * Where everything lives in a Parquet dataset root:
 *   <table>/<partitionBy>=YYYY-MM-DD/data.parquet   (or <table>/data.parquet when unpartitioned)
 *   .snapshot-<id>/<table>/...                       a full sync's shadow, same layout
 *   _rejected/<stream>/<run_id>-<seq>.parquet, _state/<pipeline>.<stream>.<account>.json, _sync_runs/<run_id>.json
 * One file per partition, so a merged row can never exist twice within it.
 */
export const DATA_FILE = 'data.parquet';
/** Hive's spelling of a NULL partition value; DuckDB, Spark and Trino read it back as NULL. */
export const NULL_PARTITION = '__HIVE_DEFAULT_PARTITION__';

export function liveTableDir(root: string, schema: TableSchema): string {
  return path.join(root, schema.name);
}

export function snapshotRoot(root: string, id: string): string {
  return path.join(root, `.snapshot-${fileComponent(id, 'snapshot id')}`);
}

export function snapshotTableDir(root: string, schema: TableSchema, id: string): string {
  return path.join(snapshotRoot(root, id), schema.name);
}

/**
 * The partition levels of a table's files: by date (`partitionBy`), and first by account when the table has
 * an account column too (`account=a/call_date=2026-03-01/data.parquet`); an unpartitioned table is one file.
 */
export function partitionLevels(schema: TableSchema): { column: string; type: 'date' | 'text' }[] {
  if (!schema.partitionBy) return [];
  const date = { column: schema.partitionBy, type: 'date' as const };
  return schema.accountColumn ? [{ column: schema.accountColumn, type: 'text' as const }, date] : [date];
}

/** SQL for a row's partition directory relative to the table dir ('' when unpartitioned). */
export function partitionExpr(schema: TableSchema): string {
  const levels = partitionLevels(schema);
  if (levels.length === 0) return `''`;
  return levels
    .map(({ column, type }) => {
      const col = ident(column);
      const prefix = `${column}=`;
      const value = type === 'date' ? `strftime(${col}, '%Y-%m-%d')` : `CAST(${col} AS VARCHAR)`;
      return `CASE WHEN ${col} IS NULL THEN ${literal(prefix + NULL_PARTITION)} ELSE ${literal(prefix)} || ${value} END`;
    })
    .join(` || '/' || `);
}

/** The directory of one account's partitions, `account=<name>/` (relative to the table dir). */
export function accountPart(schema: TableSchema, account: string): string {
  return `${schema.accountColumn}=${account}/`;
}

export interface PartitionFile {
  /** Directory relative to the table dir ('' when unpartitioned), `/`-separated. */
  part: string;
  file: string;
}

/** The data files of a table dir, by directory listing (paths are never globbed). */
export async function listPartitions(tableDir: string, schema: TableSchema): Promise<PartitionFile[]> {
  const found: PartitionFile[] = [];
  const walk = async (dir: string, part: string[], levels: ReturnType<typeof partitionLevels>) => {
    if (levels.length === 0) {
      const file = path.join(dir, DATA_FILE);
      if (await isFile(file)) found.push({ part: part.join('/'), file });
      return;
    }
    const prefix = `${levels[0].column}=`;
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.isDirectory() && e.name.startsWith(prefix))
        await walk(path.join(dir, e.name), [...part, e.name], levels.slice(1));
    }
  };
  await walk(tableDir, [], partitionLevels(schema));
  return found.sort((a, b) => a.part.localeCompare(b.part));
}

/**
 * Partitions written before the table had an account column (`call_date=.../data.parquet` right under the
 * table dir): a dataset of an earlier version, to move under `account=<label>/`.
 */
export async function legacyPartitions(tableDir: string, schema: TableSchema): Promise<PartitionFile[]> {
  if (!schema.accountColumn || !schema.partitionBy) return [];
  return listPartitions(tableDir, { ...schema, accountColumn: undefined });
}

export function stateFile(root: string, key: StateKey): string {
  const name = [
    fileComponent(key.pipeline, 'state pipeline'),
    fileComponent(key.stream, 'state stream'),
    fileComponent(key.account, 'state account'),
  ].join('.');
  return path.join(root, '_state', `${name}.json`);
}

export function runsDir(root: string): string {
  return path.join(root, '_sync_runs');
}

export function runFile(root: string, runId: string): string {
  return path.join(runsDir(root), `${fileComponent(runId, 'run_id')}.json`);
}

export function rejectsDir(root: string, stream: string): string {
  return path.join(root, '_rejected', fileComponent(stream, 'reject stream'));
}

/** Temp files are dot-files with this shape; any found while we hold the lock are leftovers of a crash. */
export const TMP_FILE = /^\..+\.tmp-\d+-[0-9a-f]{8}$/;

export async function sweepTmpFiles(dir: string, depth: number): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isFile() && TMP_FILE.test(e.name)) await fs.rm(p, { force: true });
    else if (e.isDirectory() && depth > 0) await sweepTmpFiles(p, depth - 1);
  }
}

async function isFile(p: string): Promise<boolean> {
  return (await fs.stat(p).catch(() => undefined))?.isFile() ?? false;
}
