import { DuckDBInstance } from '@duckdb/node-api';
import { expect } from 'vitest';
import { callsSchema } from '../../connectors/callscaler/schema.js';
import type { SimCall } from '../../connectors/callscaler/simulator/index.js';

/**
 * Opens a DuckDB file (or :memory:), runs one query, closes: tests read results as a user would. Instants
 * read back in UTC whatever the machine's zone; `readOnly` opens a file as a reader who never writes would.
 */
export async function query<T = Record<string, unknown>>(
  dbPath: string,
  sql: string,
  opts: { readOnly?: boolean } = {},
): Promise<T[]> {
  const db = await DuckDBInstance.create(dbPath, opts.readOnly ? { access_mode: 'READ_ONLY' } : {});
  const conn = await db.connect();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as T[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** The run recorded in `_sync_runs` failed, with a message that matches `message` when given. */
export async function expectFailedRun(dbPath: string, message?: RegExp): Promise<void> {
  const [run] = await query<{ status: string; message: string | null }>(
    dbPath,
    'SELECT status, message FROM _sync_runs',
  );
  expect(run.status).toBe('failed');
  if (message) expect(run.message).toMatch(message);
}

/** The watermark in the sync state: null when none is saved, undefined when there is no state row at all. */
export async function savedWatermark(dbPath: string): Promise<string | null | undefined> {
  const [state] = await query<{ watermark: string | null }>(
    dbPath,
    "SELECT json_extract_string(value, '$.watermark') AS watermark FROM _sync_state",
  );
  return state?.watermark;
}

const compared = callsSchema.columns.filter((c) => c.origin === 'api' || c.origin === 'include');

/** A SELECT list that makes every API column JSON-comparable (instants as epoch ms, 64-bit ints as text). */
export function comparableSelect(include: readonly string[]): string {
  return compared
    .filter((c) => c.origin === 'api' || include.includes(c.name))
    .map((c) => {
      if (c.type === 'timestamp') return `epoch_ms(${c.name})::DOUBLE AS ${c.name}`;
      if (c.type === 'int64') return `${c.name}::VARCHAR AS ${c.name}`;
      return c.name;
    })
    .join(', ');
}

/** The simulator's record in the same comparable form. */
export function comparableCall(call: SimCall, include: readonly string[]): Record<string, unknown> {
  const raw = call as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const c of compared) {
    if (c.origin === 'include' && !include.includes(c.name)) continue;
    const v = raw[c.name] ?? null;
    if (v === null) out[c.name] = null;
    else if (c.type === 'timestamp') out[c.name] = Date.parse(v as string);
    else if (c.type === 'int64') out[c.name] = String(v);
    else out[c.name] = v;
  }
  return out;
}

/** Rows of `calls` in a DuckDB file or a Parquet dataset, comparable with comparableCall, sorted by id. */
export async function loadedCalls(
  from: { duckdb: string } | { parquet: string },
  include: readonly string[],
): Promise<Record<string, unknown>[]> {
  const source = 'duckdb' in from ? 'calls' : `read_parquet('${from.parquet}/calls/**/*.parquet')`;
  const db = 'duckdb' in from ? from.duckdb : ':memory:';
  return query(db, `SELECT ${comparableSelect(include)} FROM ${source} ORDER BY id`);
}
