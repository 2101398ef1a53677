import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Pool } from 'undici';
import { INCLUDE, PAGE_SIZE } from '../setup.js';
import { eachLimited, sqlList, windowParams } from './raw-client.js';
import { peakRssMb, rssMb, type Task, type TaskResult } from './types.js';

const ENVELOPE_TAIL = /"has_more":(true|false),"next_cursor":(null|"([^"\\]*)")/g;

/**
 * The cursor of a raw page without parsing it: the envelope's last fields are at the end of the body, and
 * inside string values every quote is escaped, so the last unescaped match is the envelope's. Falls back to
 * a full parse if the server ever orders the fields differently.
 */
export function nextCursor(body: Buffer): string | null {
  const tail = body.toString('latin1', Math.max(0, body.length - 4096));
  let last: RegExpExecArray | null = null;
  for (const m of tail.matchAll(ENVELOPE_TAIL)) last = m;
  if (last) return last[1] === 'true' ? (last[3] ?? null) : null;
  const parsed = JSON.parse(body.toString('utf8')) as {
    data: { has_more: boolean; next_cursor: string | null };
  };
  return parsed.data.has_more ? parsed.data.next_cursor : null;
}

/**
 * The list limit: the same requests as the pipeline (same windows and concurrency, cursor paging with
 * limit 500, sort by date ascending, same include), each page's raw bytes appended to a newline-delimited
 * file, then one DuckDB read_json of all pages into a table. No validation, no normalization, no merge.
 */
export async function rawList(task: Extract<Task, { kind: 'raw-list' }>): Promise<TaskResult> {
  const baseRssMb = rssMb();
  const started = performance.now();
  const url = new URL(task.endpoint.baseUrl);
  const pool = new Pool(url.origin, { connections: task.concurrency });
  const headers = { authorization: `Bearer ${task.endpoint.apiKey}`, accept: 'application/json' };
  await fs.mkdir(task.workDir, { recursive: true });
  const files: string[] = [];
  let requests = 0;
  try {
    await eachLimited(task.windows, task.concurrency, async (w, i) => {
      const file = path.join(task.workDir, `pages-${i}.ndjson`);
      files[i] = file;
      const out = await fs.open(file, 'w');
      try {
        let cursor: string | null = null;
        do {
          const q = windowParams(w, INCLUDE);
          q.set('limit', String(PAGE_SIZE));
          q.set('sort_by', 'date');
          q.set('sort_order', 'asc');
          if (cursor) q.set('cursor', cursor);
          requests++;
          const res = await pool.request({ path: `${url.pathname}/calls?${q}`, method: 'GET', headers });
          const body = Buffer.from(await res.body.arrayBuffer());
          if (res.statusCode !== 200)
            throw new Error(`GET /calls: HTTP ${res.statusCode}: ${body.subarray(0, 200)}`);
          await out.write(body);
          await out.write('\n');
          cursor = nextCursor(body);
        } while (cursor);
      } finally {
        await out.close();
      }
    });
  } finally {
    await pool.close();
  }

  const db = path.join(task.workDir, 'limit.duckdb');
  const instance = await DuckDBInstance.create(db);
  const conn = await instance.connect();
  try {
    await conn.run(
      `CREATE TABLE calls AS SELECT unnest(data.calls, max_depth := 2) FROM read_json(${sqlList(files)}, format = 'newline_delimited', maximum_object_size = 1073741824)`,
    );
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  const ms = performance.now() - started;
  const maxRssMb = peakRssMb();
  return { ms, rows: 0, maxRssMb, baseRssMb, output: { type: 'duckdb', path: db }, detail: { requests } };
}
