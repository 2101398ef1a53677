import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { DestinationConfig } from '../config/schema.js';
import { LoadError } from '../errors.js';
import type { TableSchema, ViewDefinition } from '../schema/table.js';
import { LockedError } from './errors.js';
import { type ColumnSpec, DUCKDB_TYPES, emptyRowsSql, fileList, ident, literal } from './sql.js';
import { REJECTED_TABLE, RUNS_TABLE, STATE_TABLE, type SystemTable } from './system-tables.js';

/** A query's result as JSON-friendly values (DuckDB's own conversion: 64-bit integers as strings). */
export interface QueryResult {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly (readonly unknown[])[];
}

/**
 * Read access to a destination, for the commands that look at it (query, runs, state, report): the DuckDB file
 * opened read-only, or a Parquet dataset seen through DuckDB views (`calls`, `_sync_runs`, `_sync_state`,
 * `_rejected` and the connector's reporting views), so the same SQL works on both.
 */
export class DestinationReader {
  private constructor(
    readonly description: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  /** Opens the destination `cfg` names; undefined when nothing has been written there yet. */
  static async open(
    cfg: DestinationConfig,
    baseDir: string,
    views: readonly ViewDefinition[] = [],
    tables: readonly TableSchema[] = [],
  ): Promise<DestinationReader | undefined> {
    if (cfg.type === 'duckdb') {
      const file = path.resolve(baseDir, cfg.path);
      if (!existsSync(file)) return undefined;
      const instance = await openReadOnly(file);
      const conn = await instance.connect();
      await conn.run(`SET TimeZone = 'UTC'`);
      await conn.run(`USE ${ident(cfg.schema)}`);
      return new DestinationReader(`duckdb ${file}`, instance, conn);
    }
    const root = path.resolve(baseDir, cfg.dir);
    if (!existsSync(root)) return undefined;
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    await conn.run(`SET TimeZone = 'UTC'`);
    for (const sql of await datasetViews(root, { tables })) await conn.run(sql);
    const reader = new DestinationReader(`parquet ${root}`, instance, conn);
    // The connector's views need the tables they read: one whose table has no data yet is left out.
    for (const v of views) {
      try {
        await conn.run(`CREATE VIEW ${ident(v.name)} AS ${v.sql}`);
      } catch {
        // e.g. no calls written yet: the view would have nothing to read.
      }
    }
    return reader;
  }

  async query(sql: string, params: readonly string[] = []): Promise<QueryResult> {
    let result: Awaited<ReturnType<DuckDBConnection['runAndReadAll']>>;
    try {
      result = await this.conn.runAndReadAll(sql, [...params]);
    } catch (err) {
      throw new LoadError(`query on ${this.description} failed: ${(err as Error).message}`, { cause: err });
    }
    const names = result.columnNames();
    const types = result.columnTypes().map((t) => t.toString());
    return { columns: names.map((name, i) => ({ name, type: types[i] })), rows: result.getRowsJson() };
  }

  /** The query's rows as objects (for the commands' own queries). */
  async rows(sql: string, params: readonly string[] = []): Promise<Record<string, unknown>[]> {
    const r = await this.query(sql, params);
    return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
  }

  async hasTable(name: string): Promise<boolean> {
    const found = await this.rows(
      `SELECT 1 AS x FROM duckdb_tables() WHERE table_name = ${literal(name)} AND schema_name = current_schema()
       UNION ALL SELECT 1 FROM duckdb_views() WHERE view_name = ${literal(name)} AND NOT internal`,
    );
    return found.length > 0;
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

async function openReadOnly(file: string): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  } catch (err) {
    const msg = (err as Error).message;
    if (/Could not set lock/i.test(msg)) {
      const pid = /\(PID (\d+)\)/.exec(msg)?.[1];
      throw new LockedError(
        `a run is writing ${file}${pid ? ` (pid ${pid})` : ''}; read it again when the run ends`,
        { cause: err, pid: pid === undefined ? undefined : Number(pid) },
      );
    }
    throw new LoadError(`cannot open ${file} to read it: ${msg}`, { cause: err });
  }
}

/**
 * CREATE VIEW statements for what a dataset root holds: each table folder, and the loader's own records.
 * `tables` that have no files yet get an empty view with their columns. `temp`: temporary views (on a
 * connection that outlives the files they list).
 */
export async function datasetViews(
  root: string,
  o: { temp?: boolean; tables?: readonly { name: string; columns: readonly ColumnSpec[] }[] } = {},
): Promise<string[]> {
  const create = o.temp ? 'CREATE OR REPLACE TEMP VIEW' : 'CREATE VIEW';
  const out: string[] = [];
  const seen = new Set<string>();
  const entries = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.') || e.name.startsWith('_')) continue;
    if (!/^[a-z][a-z0-9_]*$/.test(e.name)) continue;
    const files = await parquetFiles(path.join(root, e.name));
    if (files.length === 0) continue;
    seen.add(e.name);
    out.push(
      `${create} ${ident(e.name)} AS SELECT * FROM read_parquet(${fileList(files)}, hive_partitioning = false, union_by_name = true)`,
    );
  }
  for (const t of o.tables ?? []) {
    if (!seen.has(t.name)) out.push(`${create} ${ident(t.name)} AS ${emptyRowsSql(t.columns)}`);
  }
  const rejects = await parquetFiles(path.join(root, '_rejected'));
  const rejectRows =
    rejects.length > 0
      ? `SELECT * FROM read_parquet(${fileList(rejects)}, union_by_name = true)`
      : emptyRowsSql(REJECTED_TABLE.columns);
  out.push(`${create} _rejected AS ${rejectRows}`);
  out.push(await jsonView(create, STATE_TABLE, path.join(root, '_state')));
  out.push(await jsonView(create, RUNS_TABLE, path.join(root, '_sync_runs')));
  return out;
}

/** A view over the JSON files of a system table (one per record), typed like the DuckDB table. */
async function jsonView(create: string, table: SystemTable, dir: string): Promise<string> {
  const files = (await fs.readdir(dir).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
    .map((f) => path.join(dir, f));
  const cols = table.columns.map((c) => `${ident(c.name)}: ${literal(DUCKDB_TYPES[c.type])}`).join(', ');
  const source =
    files.length === 0
      ? emptyRowsSql(table.columns)
      : `SELECT * FROM read_json(${fileList(files)}, columns = {${cols}}, format = 'auto')`;
  return `${create} ${ident(table.name)} AS ${source}`;
}

async function parquetFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.parquet') && !e.name.startsWith('.'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
