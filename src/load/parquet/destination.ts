import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { LoadError } from '../../errors.js';
import type { TableSchema, ViewDefinition } from '../../schema/table.js';
import {
  ABANDONED_MESSAGE,
  type CommitUnit,
  type OpenOptions,
  type RejectRow,
  type RunRecord,
  type StateKey,
  type StateValue,
} from '../destination.js';
import {
  type DuckDBSettings,
  duckdbConfig,
  duckdbErrorMessage,
  errorMessage,
  prepareSession,
  rows,
} from '../duckdb-session.js';
import { atomicWrite, fileComponent, fsyncFile, resolvePath, tmpSuffix } from '../fsutil.js';
import { datasetViews } from '../reader.js';
import { insertRejects } from '../rejects.js';
import { SerialDestination } from '../serial-destination.js';
import { createTableSql, emptyRowsSql, fileList, ident, literal, validateSchema, viewSql } from '../sql.js';
import { explainStagedError } from '../staged-rows.js';
import { REJECTED_TABLE } from '../system-tables.js';
import {
  accountPart,
  listPartitions,
  liveTableDir,
  rejectsDir,
  runFile,
  runsDir,
  snapshotTableDir,
  stateFile,
  sweepTmpFiles,
} from './layout.js';
import { FileLock } from './lock.js';
import {
  addMissingColumns,
  discard,
  moveUnderAccounts,
  type PendingFile,
  renameAll,
  writeMergedPartitions,
} from './merge.js';
import { removeShadows, swapInSnapshot } from './snapshot.js';

const REJECTS_TMP = '__cs_rejects';
/** Where the merge database spills what does not fit in its memory limit (DuckDB removes its files). */
const SPILL_DIR = '.duckdb-tmp';

/**
 * A Parquet dataset on a filesystem, readable by DuckDB, Spark, Trino and the warehouses. An in-memory DuckDB
 * is the merge database. Durability order per commit: partition files (atomic rename each), then rejects, then
 * the state file; a crash in between leaves old state, so the next run refetches and merges again.
 */
export class ParquetDestination extends SerialDestination {
  readonly description: string;
  readonly stagingRoot: string;
  private readonly root: string;
  private readonly lock: FileLock;
  private instance: DuckDBInstance | undefined;
  private readonly aligned = new Set<string>();
  /** The tables ensured in this session: a query sees them even before they have files. */
  private readonly schemas = new Map<string, TableSchema>();
  private views: readonly ViewDefinition[] | undefined;

  constructor(
    cfgDir: string,
    private readonly settings: DuckDBSettings = {},
  ) {
    super();
    this.root = resolvePath(cfgDir, 'destination.dir');
    this.description = `parquet ${cfgDir}`;
    this.stagingRoot = path.join(this.root, '.staging');
    this.lock = new FileLock(path.join(this.root, '.lock'), this.root);
  }

  async open(opts: OpenOptions = {}): Promise<void> {
    if (this.conn) return;
    try {
      await fs.mkdir(this.root, { recursive: true });
    } catch (err) {
      throw new LoadError(`cannot create Parquet dataset directory ${this.root}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
    await this.lock.acquire(opts);
    try {
      await sweepTmpFiles(this.root, 3);
      this.instance = await DuckDBInstance.create(
        ':memory:',
        duckdbConfig(this.settings, path.join(this.root, SPILL_DIR)),
      );
      this.conn = await this.instance.connect();
      await prepareSession(this.conn);
    } catch (err) {
      await this.closeNow();
      throw new LoadError(`cannot open Parquet dataset ${this.root}: ${errorMessage(err)}`, { cause: err });
    }
  }

  protected async ensureTableNow(
    schema: TableSchema,
    fill?: Readonly<Record<string, string>>,
  ): Promise<void> {
    validateSchema(schema);
    const dir = liveTableDir(this.root, schema);
    try {
      await fs.mkdir(dir, { recursive: true });
      this.schemas.set(schema.name, schema);
      await moveUnderAccounts(this.connection(), schema, dir, fill);
      await addMissingColumns(this.connection(), schema, dir);
      this.aligned.add(schema.name);
    } catch (err) {
      throw new LoadError(`preparing ${dir} for table ${schema.name} failed: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }

  /** The views are written to `<dir>/_views.sql` when the run closes the dataset (see writeViews). */
  protected async ensureViewsNow(views: readonly ViewDefinition[]): Promise<void> {
    this.views = views;
  }

  /**
   * `<dir>/_views.sql`: views over the dataset's files (globbed, so new partitions are seen; a table without
   * files yet is an empty view with its columns) and the reporting views, for `duckdb -init <dir>/_views.sql`.
   * `query` and `report` create the same views themselves.
   */
  private async writeViews(views: readonly ViewDefinition[]): Promise<void> {
    const lines = [
      '-- Written by callscaler-sync: views over this Parquet dataset. Run: duckdb -init _views.sql',
    ];
    for (const t of this.schemas.values()) {
      const dir = liveTableDir(this.root, t);
      const source =
        (await listPartitions(dir, t)).length === 0
          ? emptyRowsSql(t.columns)
          : `SELECT * FROM read_parquet(${literal(path.join(dir, t.partitionBy ? '**/*.parquet' : '*.parquet'))}, hive_partitioning = false, union_by_name = true)`;
      lines.push(`CREATE OR REPLACE VIEW ${ident(t.name)} AS ${source};`);
    }
    for (const v of views) lines.push(...viewSql(v).map((sql) => `${sql};`));
    await atomicWrite(path.join(this.root, '_views.sql'), `${lines.join('\n')}\n`);
  }

  protected async readStateNow(key: StateKey): Promise<StateValue | undefined> {
    const file = stateFile(this.root, key);
    let raw: string;
    try {
      raw = await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new LoadError(`cannot read state ${file}: ${errorMessage(err)}`, { cause: err });
    }
    try {
      return (JSON.parse(raw) as { value: StateValue }).value;
    } catch (err) {
      const msg = `state file ${file} is not valid JSON (delete it to start over): ${errorMessage(err)}`;
      throw new LoadError(msg, { cause: err });
    }
  }

  protected async resetStateNow(pipeline: string, stream?: string): Promise<number> {
    const dir = path.dirname(stateFile(this.root, { pipeline, stream: 'x', account: 'x' }));
    let removed = 0;
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      if (!name.endsWith('.json')) continue;
      const file = path.join(dir, name);
      const record = JSON.parse(await fs.readFile(file, 'utf8').catch(() => '{}')) as Partial<StateKey>;
      if (record.pipeline !== pipeline || (stream !== undefined && record.stream !== stream)) continue;
      await fs.rm(file, { force: true });
      removed++;
    }
    return removed;
  }

  /** Reads no file: a partition file exists only with rows in it. */
  protected async hasRowsNow(schema: TableSchema, account?: string): Promise<boolean> {
    validateSchema(schema);
    const scope = account !== undefined && schema.accountColumn !== undefined ? account : undefined;
    const parts = await listPartitions(liveTableDir(this.root, schema), schema);
    return parts.some((p) => scope === undefined || p.part.startsWith(accountPart(schema, scope)));
  }

  protected async commitNow(unit: CommitUnit): Promise<{ rows: number }> {
    const conn = this.connection();
    validateSchema(unit.schema);
    const tableDir =
      unit.snapshot === undefined
        ? liveTableDir(this.root, unit.schema)
        : snapshotTableDir(this.root, unit.schema, unit.snapshot);
    if (unit.snapshot === undefined) {
      if (!this.aligned.has(unit.schema.name)) await this.ensureTableNow(unit.schema);
    } else if (!(await isDir(tableDir))) {
      throw new LoadError(`snapshot ${unit.snapshot} of ${unit.schema.name} was not begun (no ${tableDir})`);
    }
    const pending: PendingFile[] = [];
    let written = 0;
    try {
      if (unit.files.length > 0) {
        const merged = await writeMergedPartitions(conn, unit.schema, tableDir, unit.files, unit.columns);
        written = merged.rows;
        pending.push(...merged.pending);
      }
      pending.push(...(await this.writeRejects(unit.rejects)));
    } catch (err) {
      await discard(pending);
      const cause = await explainStagedError(conn, unit.schema, unit.files, err);
      throw new LoadError(
        `commit to ${tableDir} failed (nothing changed): ${duckdbErrorMessage(cause, this.settings)}`,
        { cause },
      );
    }
    try {
      await renameAll(pending);
      if (unit.state) await this.writeState(unit.state.key, unit.state.value);
    } catch (err) {
      await discard(pending);
      throw new LoadError(
        `commit to ${tableDir} failed part-way (state not advanced; the next run merges again): ${errorMessage(err)}`,
        { cause: err },
      );
    }
    return { rows: written };
  }

  protected async beginSnapshotNow(schema: TableSchema, id: string): Promise<void> {
    validateSchema(schema);
    const dir = snapshotTableDir(this.root, schema, id);
    try {
      await fs.mkdir(dir, { recursive: true });
      await addMissingColumns(this.connection(), schema, dir);
    } catch (err) {
      throw new LoadError(`cannot begin snapshot ${id} in ${dir}: ${errorMessage(err)}`, { cause: err });
    }
  }

  protected async publishSnapshotNow(
    schema: TableSchema,
    id: string,
    state?: { key: StateKey; value: StateValue },
    account?: string,
  ): Promise<{ rows: number }> {
    const scope = account !== undefined && schema.accountColumn !== undefined ? account : undefined;
    validateSchema(schema);
    const shadowDir = snapshotTableDir(this.root, schema, id);
    const liveDir = liveTableDir(this.root, schema);
    if (!(await isDir(shadowDir))) {
      throw new LoadError(
        `cannot publish snapshot ${id} of ${schema.name}: no ${shadowDir} (beginSnapshot first)`,
      );
    }
    try {
      await swapInSnapshot(schema, shadowDir, liveDir, scope);
      if (state) await this.writeState(state.key, state.value);
      await removeShadows(this.root, schema.name, scope);
    } catch (err) {
      const msg = `publishing snapshot ${id} into ${liveDir} failed (run again to finish): ${errorMessage(err)}`;
      throw new LoadError(msg, { cause: err });
    }
    const mine = (part: string) => scope === undefined || part.startsWith(accountPart(schema, scope));
    const files = (await listPartitions(liveDir, schema)).filter((p) => mine(p.part)).map((p) => p.file);
    if (files.length === 0) return { rows: 0 };
    const [{ n }] = await rows(
      this.connection(),
      `SELECT count(*) AS n FROM read_parquet(${fileList(files)})`,
    );
    return { rows: Number(n) };
  }

  protected async recordRunNow(run: RunRecord): Promise<void> {
    const record = {
      ...run,
      started_at: run.started_at.toISOString(),
      finished_at: run.finished_at?.toISOString() ?? null,
    };
    await writeJson(runFile(this.root, run.run_id), record);
  }

  protected async closeAbandonedRunsNow(): Promise<number> {
    const dir = runsDir(this.root);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    let closed = 0;
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const file = path.join(dir, name);
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(await fs.readFile(file, 'utf8'));
      } catch {
        continue; // not a run record we wrote (or a foreign file): left as it is
      }
      if (record.status !== 'running') continue;
      await writeJson(file, { ...record, status: 'failed', message: ABANDONED_MESSAGE });
      closed++;
    }
    return closed;
  }

  /** A query over the dataset as it is now, through temporary views (the merge database has no tables). */
  query(sql: string, params: readonly string[] = []): Promise<Record<string, unknown>[]> {
    return this.serial.run(async () => {
      const conn = this.connection();
      for (const view of await datasetViews(this.root, { temp: true, tables: [...this.schemas.values()] })) {
        await conn.run(view);
      }
      return (await conn.runAndReadAll(sql, [...params])).getRowObjectsJson() as Record<string, unknown>[];
    });
  }

  protected async closeNow(): Promise<void> {
    const views = this.views;
    this.views = undefined;
    if (views && this.conn) await this.writeViews(views);
    const { conn, instance } = this;
    this.conn = undefined;
    this.instance = undefined;
    this.aligned.clear();
    conn?.closeSync();
    instance?.closeSync();
    await this.lock.release();
  }

  private async writeState(key: StateKey, value: StateValue): Promise<void> {
    const body = { ...key, value, updated_at: new Date().toISOString() };
    await writeJson(stateFile(this.root, key), body);
  }

  /** One file per (stream, run) per commit: `<run_id>-<seq>.parquet`, never overwriting an earlier one. */
  private async writeRejects(rejects: readonly RejectRow[]): Promise<PendingFile[]> {
    if (rejects.length === 0) return [];
    const conn = this.connection();
    const pending: PendingFile[] = [];
    await conn.run(createTableSql(REJECTS_TMP, REJECTED_TABLE.columns, [], { temp: true }));
    try {
      await insertRejects(conn, REJECTS_TMP, rejects, new Date());
      const groups = new Map<string, { stream: string; run: string }>();
      for (const r of rejects)
        groups.set(JSON.stringify([r.stream, r.run_id]), { stream: r.stream, run: r.run_id });
      for (const { stream, run } of groups.values()) {
        const dir = rejectsDir(this.root, stream);
        await fs.mkdir(dir, { recursive: true });
        const dest = await nextRejectsFile(dir, run);
        const tmp = path.join(dir, `.${path.basename(dest)}.tmp-${tmpSuffix()}`);
        pending.push({ tmp, dest });
        await conn.run(
          `COPY (SELECT * FROM ${ident(REJECTS_TMP)} WHERE stream = ${literal(stream)} AND run_id = ${literal(run)}) ` +
            `TO ${literal(tmp)} (FORMAT parquet, COMPRESSION zstd)`,
        );
        await fsyncFile(tmp);
      }
      return pending;
    } catch (err) {
      await discard(pending);
      throw err;
    } finally {
      await conn.run(`DROP TABLE IF EXISTS ${ident(REJECTS_TMP)}`);
    }
  }
}

async function nextRejectsFile(dir: string, runId: string): Promise<string> {
  const prefix = `${fileComponent(runId, 'run_id')}-`;
  let last = 0;
  for (const f of await fs.readdir(dir)) {
    const seq = f.startsWith(prefix) ? /^(\d{6})\.parquet$/.exec(f.slice(prefix.length))?.[1] : undefined;
    if (seq) last = Math.max(last, Number(seq));
  }
  return path.join(dir, `${prefix}${String(last + 1).padStart(6, '0')}.parquet`);
}

async function isDir(p: string): Promise<boolean> {
  return (await fs.stat(p).catch(() => undefined))?.isDirectory() ?? false;
}

/** The dataset's JSON files (state, run records): readable, replaced atomically. */
function writeJson(file: string, value: unknown): Promise<void> {
  return atomicWrite(file, `${JSON.stringify(value, null, 2)}\n`);
}
