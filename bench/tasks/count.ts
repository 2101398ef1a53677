import { DuckDBInstance } from '@duckdb/node-api';
import type { DestinationSpec } from '../setup.js';

/** Reads a result back after the measured part: how many calls landed, and how many say `_extract = extract`. */
export async function countCalls(
  dest: DestinationSpec,
  extract?: string,
): Promise<{ rows: number; matching: number }> {
  const instance = await DuckDBInstance.create(dest.type === 'duckdb' ? dest.path : ':memory:');
  const conn = await instance.connect();
  try {
    const from =
      dest.type === 'duckdb'
        ? 'calls'
        : `read_parquet('${dest.dir.replaceAll("'", "''")}/calls/**/*.parquet', hive_partitioning = false)`;
    const filter = extract === undefined ? 'true' : `_extract = '${extract}'`;
    const reader = await conn.runAndReadAll(
      `SELECT count(*)::DOUBLE AS n, count(*) FILTER (WHERE ${filter})::DOUBLE AS m FROM ${from}`,
    );
    const [n, m] = reader.getRows()[0] as [number, number];
    return { rows: n, matching: m };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** A limit or pipeline run that did not load every call measured something else: refuse it. */
export function checkRows(what: string, rows: number, expected: number): void {
  if (rows !== expected) throw new Error(`${what}: loaded ${rows} rows, expected ${expected}`);
}
