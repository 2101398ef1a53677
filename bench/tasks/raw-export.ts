import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { Pool } from 'undici';
import { INCLUDE } from '../setup.js';
import { eachLimited, sqlList, windowParams } from './raw-client.js';
import { peakRssMb, rssMb, type Task, type TaskResult } from './types.js';

/**
 * The export limits: the same export requests as the pipeline (one GET /calls/export per window, same
 * concurrency and include), each body streamed raw to a file, then DuckDB reads all the files at once:
 * `read_csv` into a table (target duckdb), or `COPY ... TO` a Parquet dataset partitioned by call_date like
 * the Parquet destination's (target parquet). No validation, no normalization, no merge.
 */
export async function rawExport(task: Extract<Task, { kind: 'raw-export' }>): Promise<TaskResult> {
  const baseRssMb = rssMb();
  const started = performance.now();
  const url = new URL(task.endpoint.baseUrl);
  const pool = new Pool(url.origin, { connections: task.concurrency });
  const headers = { authorization: `Bearer ${task.endpoint.apiKey}` };
  await fs.mkdir(task.workDir, { recursive: true });
  const files: string[] = [];
  try {
    await eachLimited(task.windows, task.concurrency, async (w, i) => {
      const file = path.join(task.workDir, `export-${i}.csv`);
      files[i] = file;
      const res = await pool.request({
        path: `${url.pathname}/calls/export?${windowParams(w, INCLUDE)}`,
        method: 'GET',
        headers,
      });
      if (res.statusCode !== 200) {
        const text = await res.body.text();
        throw new Error(`GET /calls/export: HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
      }
      await pipeline(res.body, createWriteStream(file));
    });
  } finally {
    await pool.close();
  }

  const csv = `read_csv(${sqlList(files)}, header = true)`;
  const db = path.join(task.workDir, 'limit.duckdb');
  const out = path.join(task.workDir, 'parquet');
  const instance = await DuckDBInstance.create(task.target === 'duckdb' ? db : ':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    if (task.target === 'duckdb') {
      await conn.run(`CREATE TABLE calls AS SELECT * FROM ${csv}`);
    } else {
      await fs.mkdir(out, { recursive: true });
      await conn.run(
        `COPY (SELECT *, CAST("${task.createdAtHeader.replaceAll('"', '""')}" AS DATE) AS call_date FROM ${csv}) TO '${path.join(out, 'calls')}' (FORMAT parquet, PARTITION_BY (call_date))`,
      );
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  const ms = performance.now() - started;
  const maxRssMb = peakRssMb();
  const dest =
    task.target === 'duckdb' ? { type: 'duckdb' as const, path: db } : { type: 'parquet' as const, dir: out };
  return { ms, rows: 0, maxRssMb, baseRssMb, output: dest, detail: { requests: task.windows.length } };
}
