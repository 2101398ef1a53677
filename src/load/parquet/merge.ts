import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableSchema } from '../../schema/table.js';
import { rows, stagedColumns } from '../duckdb-session.js';
import { fsyncDir, fsyncFile, tmpSuffix } from '../fsutil.js';
import { fileList, ident, keyColumns, keyJoin, literal, projection } from '../sql.js';
import { latestStagedSql, loadStagedKeys, STAGED_KEYS } from '../staged-rows.js';
import { accountPart, DATA_FILE, legacyPartitions, listPartitions, partitionExpr } from './layout.js';

/** A finished file waiting to be renamed into place. */
export interface PendingFile {
  tmp: string;
  dest: string;
}

const STAGED = '__cs_staged';
const WRITE_OPTS = '(FORMAT parquet, COMPRESSION zstd)';
const PART = '__cs_part';

/**
 * Writes the merged version of every partition the staged rows touch, as temp files beside the live ones
 * (fsynced, not yet renamed). Each partition = its existing rows whose key is not staged + the staged rows
 * that belong to it, latest version per key; a column the staged files do not hold keeps its stored value.
 * The staged keys are read first, then the rows once (staged-rows.ts); a partition that has no file yet
 * (every partition of a first load) is written from them alone.
 * Assumes a row's partition never changes (account and creation date): a key that moved date would otherwise
 * stay behind in its old partition.
 */
export async function writeMergedPartitions(
  conn: DuckDBConnection,
  schema: TableSchema,
  tableDir: string,
  files: readonly string[],
  known?: readonly string[],
): Promise<{ rows: number; pending: PendingFile[] }> {
  const present = await stagedColumns(conn, schema, files, known);
  const absent = new Set(schema.columns.filter((c) => !present.has(c.name)).map((c) => c.name));
  const pending: PendingFile[] = [];
  const keys = keyColumns(schema).map(ident).join(', ');
  try {
    const repeated = await loadStagedKeys(conn, schema, files);
    // Sorted by partition so each partition's COPY below reads only its own segments (zone maps), not the
    // whole staged set once per partition: about 3x faster for a backfill spanning months.
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE ${STAGED} AS SELECT *, ${partitionExpr(schema)} AS ${PART} ` +
        `FROM (${latestStagedSql(schema, files, present, repeated)}) ORDER BY ${PART}, ${keys}`,
    );
    const parts = await rows(
      conn,
      `SELECT ${PART} AS part, count(*) AS n FROM ${STAGED} GROUP BY ALL ORDER BY 1`,
    );
    const existing = new Map<string, string>();
    for (const { part } of parts) {
      const file = path.join(tableDir, ...String(part).split('/'), DATA_FILE);
      if (await isFile(file)) existing.set(String(part), file);
    }
    const columnsOf = await topLevelColumns(conn, [...existing.values()]);
    let total = 0;
    for (const { part, n } of parts) {
      total += Number(n);
      const partDir = path.join(tableDir, ...String(part).split('/'));
      const dest = path.join(partDir, DATA_FILE);
      const tmp = path.join(partDir, `.${DATA_FILE}.tmp-${tmpSuffix()}`);
      await fs.mkdir(partDir, { recursive: true });
      pending.push({ tmp, dest });
      const old = existing.get(String(part));
      const here = `${PART} = ${literal(String(part))}`;
      const fresh =
        old === undefined || absent.size === 0
          ? `SELECT ${columnList(schema)} FROM ${STAGED} WHERE ${here}`
          : `SELECT ${schema.columns.map((c) => `${absent.has(c.name) ? 'o' : 's'}.${ident(c.name)}`).join(', ')} ` +
            `FROM ${STAGED} AS s LEFT JOIN read_parquet(${fileList([old])}, hive_partitioning = false) AS o ` +
            `ON ${keyJoin(schema, 's', 'o')} WHERE s.${here}`;
      const body = old
        ? `${fresh} UNION ALL BY NAME ${keptRowsSql(schema, old, columnsOf.get(old) ?? new Set())}`
        : fresh;
      await conn.run(`COPY (${body}) TO ${literal(tmp)} ${WRITE_OPTS}`);
      await fsyncFile(tmp);
    }
    return { rows: total, pending };
  } catch (err) {
    await discard(pending);
    throw err;
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${STAGED}`);
    await conn.run(`DROP TABLE IF EXISTS ${STAGED_KEYS}`);
  }
}

/** An existing partition's rows that no staged row replaces, shaped like the schema (plus any extra columns). */
function keptRowsSql(schema: TableSchema, file: string, cols: ReadonlySet<string>): string {
  const known = new Set(schema.columns.map((c) => c.name));
  // Columns the schema no longer lists are carried along, never dropped silently.
  const extras = [...cols].filter((c) => !known.has(c)).map((c) => `e.${ident(c)}`);
  return (
    `SELECT ${[projection(schema.columns, cols, 'e'), ...extras].join(', ')} ` +
    `FROM read_parquet(${fileList([file])}, hive_partitioning = false) e ANTI JOIN ${STAGED} s ON ${keyJoin(schema, 'e', 's')}`
  );
}

/**
 * Additive evolution for a dataset: rewrites partitions that lack a schema column, so every file has the
 * same columns and readers need no union_by_name. Atomic per partition.
 */
export async function addMissingColumns(
  conn: DuckDBConnection,
  schema: TableSchema,
  tableDir: string,
): Promise<number> {
  const parts = await listPartitions(tableDir, schema);
  if (parts.length === 0) return 0;
  const byFile = await topLevelColumns(
    conn,
    parts.map((p) => p.file),
  );
  const pending: PendingFile[] = [];
  try {
    for (const p of parts) {
      const cols = byFile.get(p.file) ?? new Set<string>();
      if (schema.columns.every((c) => cols.has(c.name))) continue;
      const known = new Set(schema.columns.map((c) => c.name));
      const extras = [...cols].filter((c) => !known.has(c)).map((c) => ident(c));
      const tmp = path.join(path.dirname(p.file), `.${DATA_FILE}.tmp-${tmpSuffix()}`);
      pending.push({ tmp, dest: p.file });
      await conn.run(
        `COPY (SELECT ${[projection(schema.columns, cols), ...extras].join(', ')} ` +
          `FROM read_parquet(${fileList([p.file])}, hive_partitioning = false)) TO ${literal(tmp)} ${WRITE_OPTS}`,
      );
      await fsyncFile(tmp);
    }
  } catch (err) {
    await discard(pending);
    throw err;
  }
  await renameAll(pending);
  return pending.length;
}

/**
 * A dataset of an earlier version kept `calls/call_date=D/data.parquet`: each such partition is rewritten
 * under `account=<label>/` with the account column set (`fill`: the account configured when it was loaded),
 * atomically per partition, the old file removed after. A crash in between leaves a copy that the next open
 * moves again (the rewrite of a partition already moved just replaces it).
 */
export async function moveUnderAccounts(
  conn: DuckDBConnection,
  schema: TableSchema,
  tableDir: string,
  fill: Readonly<Record<string, string>> = {},
): Promise<number> {
  const legacy = await legacyPartitions(tableDir, schema);
  if (legacy.length === 0 || !schema.accountColumn) return 0;
  const account = fill[schema.accountColumn] ?? 'default';
  for (const p of legacy) {
    const cols = await fileColumns(conn, p.file);
    const partDir = path.join(tableDir, accountPart(schema, account), ...p.part.split('/'));
    const pending = {
      tmp: path.join(partDir, `.${DATA_FILE}.tmp-${tmpSuffix()}`),
      dest: path.join(partDir, DATA_FILE),
    };
    await fs.mkdir(partDir, { recursive: true });
    const accountValue = `CAST(${literal(account)} AS VARCHAR) AS ${ident(schema.accountColumn)}`;
    const kept = [...cols].filter((c) => c !== schema.accountColumn).map((c) => ident(c));
    try {
      await conn.run(
        `COPY (SELECT ${[accountValue, ...kept].join(', ')} FROM read_parquet(${fileList([p.file])}, hive_partitioning = false)) ` +
          `TO ${literal(pending.tmp)} ${WRITE_OPTS}`,
      );
      await fsyncFile(pending.tmp);
    } catch (err) {
      await discard([pending]);
      throw err;
    }
    await renameAll([pending]);
    await fs.rm(p.file, { force: true });
    await fs.rmdir(path.dirname(p.file)).catch(() => undefined);
  }
  return legacy.length;
}

export async function renameAll(pending: readonly PendingFile[]): Promise<void> {
  const dirs = new Set<string>();
  for (const p of pending) {
    await fs.rename(p.tmp, p.dest);
    dirs.add(path.dirname(p.dest));
  }
  for (const d of dirs) await fsyncDir(d);
  for (const d of new Set([...dirs].map((d) => path.dirname(d)))) await fsyncDir(d);
}

export async function discard(pending: readonly PendingFile[]): Promise<void> {
  for (const p of pending) await fs.rm(p.tmp, { force: true });
}

function columnList(schema: TableSchema): string {
  return schema.columns.map((c) => ident(c.name)).join(', ');
}

async function fileColumns(conn: DuckDBConnection, file: string): Promise<Set<string>> {
  const described = await rows(
    conn,
    `DESCRIBE SELECT * FROM read_parquet(${fileList([file])}, hive_partitioning = false)`,
  );
  return new Set(described.map((r) => String(r.column_name)));
}

/**
 * Top-level column names per file from Parquet footers in one query. parquet_schema lists the schema tree
 * depth-first; a node's children follow it, so top-level columns are the root's direct children.
 */
async function topLevelColumns(
  conn: DuckDBConnection,
  files: readonly string[],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (files.length === 0) return out;
  const tree = await rows(
    conn,
    `SELECT file_name, name, num_children FROM parquet_schema(${fileList(files)}) ORDER BY file_name, column_id`,
  );
  let file = '';
  let remaining: number[] = []; // children left to visit at each open level; [0] is the root
  for (const r of tree) {
    const children = r.num_children === null ? 0 : Number(r.num_children);
    if (String(r.file_name) !== file) {
      file = String(r.file_name);
      out.set(file, new Set());
      remaining = [children];
      continue;
    }
    if (remaining.length === 1) out.get(file)?.add(String(r.name));
    remaining[remaining.length - 1]--;
    if (children > 0) remaining.push(children);
    while (remaining.length > 1 && remaining[remaining.length - 1] === 0) remaining.pop();
  }
  return out;
}

async function isFile(p: string): Promise<boolean> {
  return (await fs.stat(p).catch(() => undefined))?.isFile() ?? false;
}
