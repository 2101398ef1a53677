import path from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { LoadError } from '../../errors.js';
import type { TableSchema, ViewDefinition } from '../../schema/table.js';
import {
  ABANDONED_MESSAGE,
  type CommitUnit,
  type OpenOptions,
  type RunRecord,
  type StateKey,
  type StateValue,
} from '../destination.js';
import {
  type DuckDBSettings,
  duckdbErrorMessage,
  errorMessage,
  prepareSession,
  rollbackQuietly,
  rows,
  stagedColumns,
} from '../duckdb-session.js';
import { resolvePath } from '../fsutil.js';
import { insertRejects } from '../rejects.js';
import { SerialDestination } from '../serial-destination.js';
import { ident, keyColumns, keyJoin, validateSchema, viewSql } from '../sql.js';
import {
  dropSuperseded,
  explainStagedError,
  latestStagedSql,
  loadStagedKeys,
  STAGED_KEYS,
  stagedRowsSql,
} from '../staged-rows.js';
import { REJECTED_TABLE, RUNS_TABLE, STATE_TABLE } from '../system-tables.js';
import { openDatabase, ROW_GROUP_SIZE } from './open.js';
import {
  alignTableSql,
  existingColumns,
  inTransaction,
  shadowTable,
  staleShadowsSql,
  tableExists,
} from './tables.js';

/**
 * Data tables get no PRIMARY KEY constraint: its ART index lives in memory and grows with the table (it was most
 * of a 1M-call sync's memory). One row per key holds anyway: every commit deletes the staged keys and inserts
 * the latest staged version of each, in one transaction. Tables made by earlier versions keep their constraint.
 */
const DATA_TABLE_KEY: readonly string[] = [];

/** The stored values of the columns a commit's files do not hold, for the rows it replaces. */
const KEPT = '__cs_kept';

/** A DuckDB database file. One connection for the whole run; DuckDB's file lock is the one-writer lock. */
export class DuckDBDestination extends SerialDestination {
  readonly description: string;
  readonly stagingRoot: string;
  private readonly file: string;
  private instance: DuckDBInstance | undefined;
  private release: (() => void) | undefined;
  private readonly aligned = new Set<string>();

  constructor(
    cfgPath: string,
    private readonly settings: DuckDBSettings = {},
  ) {
    super();
    this.file = resolvePath(cfgPath, 'destination.path');
    this.description = `duckdb ${cfgPath}`;
    this.stagingRoot = path.join(path.dirname(this.file), `.${path.basename(this.file)}.staging`);
  }

  async open(opts: OpenOptions = {}): Promise<void> {
    if (this.conn) return;
    const { instance, conn, release } = await openDatabase(this.file, opts, this.settings);
    try {
      await prepareSession(conn);
      const stmts: string[] = [];
      for (const t of [STATE_TABLE, RUNS_TABLE, REJECTED_TABLE]) {
        stmts.push(...(await alignTableSql(conn, t.name, t.columns, t.primaryKey)));
      }
      await inTransaction(conn, `creating the loader tables in ${this.file}`, stmts);
      this.instance = instance;
      this.conn = conn;
      this.release = release;
    } catch (err) {
      instance.closeSync();
      release();
      throw err instanceof LoadError
        ? err
        : new LoadError(`cannot open ${this.file}: ${errorMessage(err)}`, { cause: err });
    }
  }

  protected async ensureTableNow(
    schema: TableSchema,
    fill?: Readonly<Record<string, string>>,
  ): Promise<void> {
    validateSchema(schema);
    await this.align(schema, schema.name, fill);
  }

  protected async ensureViewsNow(views: readonly ViewDefinition[]): Promise<void> {
    await inTransaction(this.connection(), `creating views in ${this.file}`, views.flatMap(viewSql));
  }

  protected async readStateNow(key: StateKey): Promise<StateValue | undefined> {
    const found = await rows(
      this.connection(),
      `SELECT CAST(value AS VARCHAR) AS value FROM ${ident(STATE_TABLE.name)} WHERE pipeline = ? AND stream = ? AND account = ?`,
      [key.pipeline, key.stream, key.account],
    );
    if (found.length === 0 || found[0].value === null) return undefined;
    return JSON.parse(String(found[0].value)) as StateValue;
  }

  protected async resetStateNow(pipeline: string, stream?: string): Promise<number> {
    const r = await this.connection().run(
      `DELETE FROM ${ident(STATE_TABLE.name)} WHERE pipeline = ? AND (? IS NULL OR stream = ?)`,
      [pipeline, stream ?? null, stream ?? null],
    );
    return Number(r.rowsChanged);
  }

  protected async commitNow(unit: CommitUnit): Promise<{ rows: number }> {
    const conn = this.connection();
    const { schema } = unit;
    validateSchema(schema);
    const table = unit.snapshot === undefined ? schema.name : shadowTable(schema.name, unit.snapshot);
    if (unit.snapshot === undefined) {
      if (!this.aligned.has(table)) await this.ensureTableNow(schema);
    } else if (!(await tableExists(conn, table))) {
      throw new LoadError(`snapshot ${unit.snapshot} of ${schema.name} was not begun (no table ${table})`);
    }
    let written = 0;
    try {
      const present =
        unit.files.length === 0 ? undefined : await stagedColumns(conn, schema, unit.files, unit.columns);
      await conn.run('BEGIN TRANSACTION');
      if (present) {
        written =
          unit.snapshot === undefined
            ? await this.mergeStaged(table, schema, unit.files, present)
            : await this.appendStaged(table, schema, unit.files, present);
      }
      await insertRejects(conn, REJECTED_TABLE.name, unit.rejects, new Date());
      if (unit.state) await this.upsertState(unit.state.key, unit.state.value);
      await conn.run('COMMIT');
    } catch (err) {
      await rollbackQuietly(conn);
      const cause = await explainStagedError(conn, schema, unit.files, err);
      throw new LoadError(
        `commit to table ${table} in ${this.file} failed: ${duckdbErrorMessage(cause, this.settings)}`,
        {
          cause,
          context: { table, files: unit.files.length },
        },
      );
    }
    if (written >= ROW_GROUP_SIZE) await this.checkpointAfterCommit(table);
    return { rows: written };
  }

  /**
   * A checkpoint after each commit of at least a row group. DuckDB writes such a commit's rows straight into the
   * file, but leaves its last row group part-filled, and its checkpoint merges those: left to the close, that was
   * ~6 s at the end of a 1M-call backfill, with nothing else to do meanwhile. Here it overlaps the windows still
   * fetching, and the close is quick. Smaller commits go to the WAL, which DuckDB checkpoints by size itself (a
   * checkpoint after each of them slowed runs of many small windows). The commit is durable already: a failed
   * checkpoint fails the run, and the re-run goes on from the commit.
   */
  private async checkpointAfterCommit(table: string): Promise<void> {
    try {
      await this.connection().run('CHECKPOINT');
    } catch (err) {
      throw new LoadError(
        `checkpoint of ${this.file} after a commit to ${table} failed: ${duckdbErrorMessage(err, this.settings)}`,
        { cause: err },
      );
    }
  }

  /**
   * Replaces the staged keys' rows with their latest staged version: delete then insert (much cheaper than
   * INSERT OR REPLACE over wide rows). The keys are read first, on their own; the rows once (staged-rows.ts).
   * Columns the files do not hold keep their stored values: they are read from the old rows before those are
   * deleted.
   */
  private async mergeStaged(
    table: string,
    schema: TableSchema,
    files: readonly string[],
    present: ReadonlySet<string>,
  ): Promise<number> {
    const conn = this.connection();
    const t = ident(table);
    const keys = keyColumns(schema).map(ident);
    const repeated = await loadStagedKeys(conn, schema, files);
    const staged = repeated ? `(SELECT DISTINCT ${keys.join(', ')} FROM ${STAGED_KEYS})` : STAGED_KEYS;
    const absent = schema.columns.filter((c) => !present.has(c.name)).map((c) => ident(c.name));
    if (absent.length > 0) {
      await conn.run(
        `CREATE OR REPLACE TEMP TABLE ${KEPT} AS SELECT ${[...keys, ...absent].map((c) => `t.${c}`).join(', ')} ` +
          `FROM ${t} AS t SEMI JOIN ${staged} AS s ON ${keyJoin(schema, 't', 's')}`,
      );
    }
    await conn.run(`DELETE FROM ${t} AS t USING ${staged} AS s WHERE ${keyJoin(schema, 't', 's')}`);
    const cols = schema.columns.map((c) => ident(c.name));
    const latest = latestStagedSql(schema, files, present, repeated);
    const source =
      absent.length === 0
        ? latest
        : `SELECT ${cols.map((c) => (absent.includes(c) ? `k.${c}` : `n.${c}`)).join(', ')} FROM (${latest}) AS n ` +
          `LEFT JOIN ${KEPT} AS k ON ${keyJoin(schema, 'n', 'k')}`;
    const inserted = await conn.run(`INSERT INTO ${t} (${cols.join(', ')}) ${source}`);
    if (absent.length > 0) await conn.run(`DROP TABLE ${KEPT}`);
    await conn.run(`DROP TABLE ${STAGED_KEYS}`);
    return Number(inserted.rowsChanged);
  }

  /**
   * A snapshot's shadow is only appended to: the rows go in as they were fetched, in one read of the files. A
   * key fetched twice (a window fetched again after a crash, a record the API returned in two windows or pages)
   * is resolved once, when the snapshot is published: the later version wins (see staged-rows.ts).
   */
  private async appendStaged(
    table: string,
    schema: TableSchema,
    files: readonly string[],
    present: ReadonlySet<string>,
  ): Promise<number> {
    const cols = schema.columns.map((c) => ident(c.name)).join(', ');
    const inserted = await this.connection().run(
      `INSERT INTO ${ident(table)} (${cols}) ${stagedRowsSql(schema, files, present)}`,
    );
    return Number(inserted.rowsChanged);
  }

  protected async beginSnapshotNow(schema: TableSchema, id: string): Promise<void> {
    validateSchema(schema);
    await this.align(schema, shadowTable(schema.name, id));
  }

  protected async publishSnapshotNow(
    schema: TableSchema,
    id: string,
    state?: { key: StateKey; value: StateValue },
    account?: string,
  ): Promise<{ rows: number }> {
    const conn = this.connection();
    validateSchema(schema);
    const live = schema.name;
    const shadow = shadowTable(live, id);
    if (!(await tableExists(conn, shadow))) {
      throw new LoadError(
        `cannot publish snapshot ${id} of ${live}: no table ${shadow} (beginSnapshot first)`,
      );
    }
    const scope = account !== undefined && schema.accountColumn !== undefined ? account : undefined;
    try {
      await conn.run('BEGIN TRANSACTION');
      // Commits only appended to the shadow: a key that came twice is resolved here, once.
      await dropSuperseded(conn, schema, shadow);
      if (scope !== undefined && !(await this.onlyAccountIn(live, schema, scope))) {
        // One account's rows are replaced; the other accounts' stay as they are.
        const cols = schema.columns.map((c) => ident(c.name)).join(', ');
        const only = accountFilter(schema, scope);
        await conn.run(`DELETE FROM ${ident(live)}${only.where}`, only.params);
        await conn.run(`INSERT INTO ${ident(live)} (${cols}) SELECT ${cols} FROM ${ident(shadow)}`);
        await conn.run(`DROP TABLE ${ident(shadow)}`);
      } else {
        // Nothing else in the live table to keep: the shadow becomes it, without copying a row.
        await conn.run(`DROP TABLE IF EXISTS ${ident(live)}`);
        await conn.run(`ALTER TABLE ${ident(shadow)} RENAME TO ${ident(live)}`);
      }
      // Shadows left by crashed full syncs with other ids (of this account) are abandoned: this publish
      // supersedes them.
      for (const r of await rows(conn, staleShadowsSql(live, shadow, scope))) {
        await conn.run(`DROP TABLE ${ident(String(r.table_name))}`);
      }
      for (const s of await alignTableSql(conn, live, schema.columns, DATA_TABLE_KEY)) await conn.run(s);
      if (state) await this.upsertState(state.key, state.value);
      await conn.run('COMMIT');
    } catch (err) {
      await rollbackQuietly(conn);
      const msg = `publishing snapshot ${id} as table ${live} in ${this.file} failed: ${duckdbErrorMessage(err, this.settings)}`;
      throw new LoadError(msg, { cause: err });
    }
    this.aligned.add(live);
    const only = accountFilter(schema, scope);
    const [{ n }] = await rows(conn, `SELECT count(*) AS n FROM ${ident(live)}${only.where}`, only.params);
    return { rows: Number(n) };
  }

  /**
   * Whether replacing `account`'s rows of `live` would replace all of it: no table yet, or no row of another
   * account and no column the schema does not list (a dropped table would lose it).
   */
  private async onlyAccountIn(live: string, schema: TableSchema, account: string): Promise<boolean> {
    const conn = this.connection();
    const columns = await existingColumns(conn, live);
    if (columns.size === 0) return true;
    const known = new Set(schema.columns.map((c) => c.name));
    if ([...columns.keys()].some((c) => !known.has(c))) return false;
    const others = await rows(
      conn,
      `SELECT 1 FROM ${ident(live)} WHERE ${ident(schema.accountColumn as string)} IS DISTINCT FROM ? LIMIT 1`,
      [account],
    );
    return others.length === 0;
  }

  protected async hasRowsNow(schema: TableSchema, account?: string): Promise<boolean> {
    const conn = this.connection();
    validateSchema(schema);
    if (!(await tableExists(conn, schema.name))) return false;
    const only = accountFilter(schema, account);
    const found = await rows(conn, `SELECT 1 FROM ${ident(schema.name)}${only.where} LIMIT 1`, only.params);
    return found.length > 0;
  }

  protected async recordRunNow(run: RunRecord): Promise<void> {
    const conn = this.connection();
    try {
      await conn.run(
        `INSERT OR REPLACE INTO ${ident(RUNS_TABLE.name)}
         (run_id, pipeline, account, started_at, finished_at, status, rows, requests, retries, rejected, watermark, message, details)
         VALUES (?, ?, ?, CAST(? AS TIMESTAMPTZ), CAST(? AS TIMESTAMPTZ), ?, CAST(? AS BIGINT), CAST(? AS BIGINT),
                 CAST(? AS BIGINT), CAST(? AS BIGINT), ?, ?, CAST(? AS JSON))`,
        [
          run.run_id,
          run.pipeline,
          run.account,
          run.started_at.toISOString(),
          run.finished_at?.toISOString() ?? null,
          run.status,
          run.rows,
          run.requests,
          run.retries,
          run.rejected,
          run.watermark,
          run.message,
          JSON.stringify(run.details ?? {}),
        ],
      );
    } catch (err) {
      throw new LoadError(`recording run ${run.run_id} in ${this.file} failed: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }

  protected async closeAbandonedRunsNow(): Promise<number> {
    try {
      const r = await this.connection().run(
        `UPDATE ${ident(RUNS_TABLE.name)} SET status = 'failed', message = ? WHERE status = 'running'`,
        [ABANDONED_MESSAGE],
      );
      return Number(r.rowsChanged);
    } catch (err) {
      throw new LoadError(`closing abandoned runs in ${this.file} failed: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }

  /** Read-only SQL on the run's connection (status output, tests): values as JSON-friendly types. */
  query(sql: string, params: readonly string[] = []): Promise<Record<string, unknown>[]> {
    return this.serial.run(async () => {
      const result = await this.connection().runAndReadAll(sql, [...params]);
      return result.getRowObjectsJson() as Record<string, unknown>[];
    });
  }

  protected async closeNow(): Promise<void> {
    const { conn, instance, release } = this;
    this.conn = undefined;
    this.instance = undefined;
    this.release = undefined;
    this.aligned.clear();
    conn?.closeSync();
    instance?.closeSync();
    release?.();
  }

  private async align(
    schema: TableSchema,
    table: string,
    fill?: Readonly<Record<string, string>>,
  ): Promise<void> {
    const conn = this.connection();
    const stmts = await alignTableSql(conn, table, schema.columns, DATA_TABLE_KEY, fill);
    await inTransaction(conn, `creating or altering table ${table} in ${this.file}`, stmts);
    if (table === schema.name) this.aligned.add(table);
  }

  private async upsertState(key: StateKey, value: StateValue): Promise<void> {
    await this.connection().run(
      `INSERT INTO ${ident(STATE_TABLE.name)} (pipeline, stream, account, value, updated_at)
       VALUES (?, ?, ?, CAST(? AS JSON), now())
       ON CONFLICT (pipeline, stream, account) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [key.pipeline, key.stream, key.account, JSON.stringify(value)],
    );
  }
}

/** ` WHERE account = ?` and its parameter: one account's rows, or the whole table (no account, or none kept). */
function accountFilter(
  schema: TableSchema,
  account: string | undefined,
): { where: string; params: string[] } {
  if (account === undefined || schema.accountColumn === undefined) return { where: '', params: [] };
  return { where: ` WHERE ${ident(schema.accountColumn)} = ?`, params: [account] };
}
