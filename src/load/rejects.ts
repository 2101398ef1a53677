import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { RejectRow } from './destination.js';
import { ident } from './sql.js';

const CHUNK = 256;

/** Inserts rejects into a table shaped like REJECTED_TABLE, in bound-parameter chunks (raw text is hostile). */
export async function insertRejects(
  conn: DuckDBConnection,
  table: string,
  rejects: readonly RejectRow[],
  rejectedAt: Date,
): Promise<void> {
  const at = rejectedAt.toISOString();
  for (let start = 0; start < rejects.length; start += CHUNK) {
    const chunk = rejects.slice(start, start + CHUNK);
    const values: DuckDBValue[] = [];
    const tuples = chunk.map((r) => {
      values.push(r.stream, r.run_id, r.account, r.source, r.line, r.raw, r.reason, at);
      return '(?, ?, ?, ?, CAST(? AS BIGINT), ?, ?, CAST(? AS TIMESTAMPTZ))';
    });
    await conn.run(
      `INSERT INTO ${ident(table)} (stream, run_id, account, source, line, raw, reason, rejected_at) VALUES ${tuples.join(', ')}`,
      values,
    );
  }
}
