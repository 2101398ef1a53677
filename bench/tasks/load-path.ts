import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type DuckDBAppender, DuckDBDataChunk } from '@duckdb/node-api';
import type * as arrow from 'apache-arrow';
import { recordsToChunk } from '../../connectors/callscaler/extract/to-batch.js';
import { callsSchema } from '../../connectors/callscaler/schema.js';
import { INCLUDE_ALL, toApiCall } from '../../connectors/callscaler/simulator/record.js';
import { CallStore } from '../../connectors/callscaler/simulator/store.js';
import { DEFAULT_MEMORY_LIMIT } from '../../src/config/schema.js';
import { DuckDBDestination } from '../../src/load/duckdb/destination.js';
import { CATALOG, openDatabase } from '../../src/load/duckdb/open.js';
import { createTableSql } from '../../src/load/sql.js';
import { Stager } from '../../src/load/staging.js';
import { GroupCommitter } from '../../src/pipeline/group-committer.js';
import { ANCHOR, DAYS, PAGE_SIZE } from '../setup.js';
import { appendCell, batchCells } from './arrow-cells.js';
import { checkRows, countCalls } from './count.js';
import { peakRssMb, rssMb, type Task, type TaskResult } from './types.js';

const TYPES = callsSchema.columns.map((c) => c.type);

/** The simulator's calls, normalized into page-sized Arrow batches exactly as the list path builds them. */
function makeBatches(rows: number): arrow.RecordBatch[] {
  const store = new CallStore({
    seed: 42,
    size: rows,
    anchorMs: Date.parse(`${ANCHOR}T00:00:00Z`),
    days: DAYS,
  });
  const meta = { account: 'default', runId: 'bench-load', syncedAtMs: Date.now(), extract: 'list' as const };
  const all = store.all();
  const batches: arrow.RecordBatch[] = [];
  for (let i = 0; i < all.length; i += PAGE_SIZE) {
    const records = all.slice(i, i + PAGE_SIZE).map((r) => toApiCall(r, INCLUDE_ALL));
    const chunk = recordsToChunk(records, meta, 'bench');
    if (chunk.rejects.length > 0) throw new Error(`load-path data: ${chunk.rejects[0].reason}`);
    if (chunk.batch) batches.push(chunk.batch);
  }
  return batches;
}

/**
 * (a) what the pipeline does: every batch to a Parquet file (parquet-wasm), then destination commits of at most
 * MAX_COMMIT_BYTES each (the pipeline's pieces).
 */
async function viaStaging(batches: arrow.RecordBatch[], dir: string) {
  const db = path.join(dir, 'staging.duckdb');
  const dest = new DuckDBDestination(db, { memoryLimit: DEFAULT_MEMORY_LIMIT });
  await dest.open();
  await dest.ensureTable(callsSchema);
  const t0 = performance.now();
  const stager = new Stager(path.join(dir, 'staging'));
  for (const b of batches) await stager.write(b);
  const t1 = performance.now();
  const key = { pipeline: 'bench', stream: callsSchema.name, account: 'default' };
  // The pipeline's own committer: pieces of at most MAX_COMMIT_BYTES, the checkpoint with the last.
  const committer = new GroupCommitter({
    destination: dest,
    table: callsSchema,
    key,
    checkpoint: () => ({}),
  });
  await committer.commit('bench', stager.staged, []);
  await dest.close();
  const t2 = performance.now();
  await stager.cleanup();
  return { stageMs: t1 - t0, commitMs: t2 - t1, ms: t2 - t0, db };
}

async function withTable(dir: string, name: string, fill: (app: DuckDBAppender) => void) {
  const db = path.join(dir, `${name}.duckdb`);
  // Opened like the destination opens it (attached with its row group size, under its memory limit), into
  // the same table without a key constraint, so that only the way rows get in differs.
  const { instance, conn, release } = await openDatabase(db, {}, { memoryLimit: DEFAULT_MEMORY_LIMIT });
  await conn.run(createTableSql(callsSchema.name, callsSchema.columns, []));
  const t0 = performance.now();
  const app = await conn.createAppender(callsSchema.name, 'main', CATALOG);
  fill(app);
  app.flushSync();
  app.closeSync();
  conn.closeSync();
  instance.closeSync();
  release();
  return { ms: performance.now() - t0, db };
}

/** (b) the appender, one append call per cell. */
function viaAppenderCells(batches: arrow.RecordBatch[], dir: string) {
  return withTable(dir, 'cells', (app) => {
    for (const b of batches) {
      const cols = batchCells(b, TYPES);
      for (let r = 0; r < b.numRows; r++) {
        for (let c = 0; c < cols.length; c++) appendCell(app, TYPES[c], cols[c][r]);
        app.endRow();
      }
    }
  });
}

/** (c) the appender fed whole DataChunks (one per batch, column values set in one call each). */
function viaAppenderChunks(batches: arrow.RecordBatch[], dir: string) {
  return withTable(dir, 'chunks', (app) => {
    const types = TYPES.map((_, c) => app.columnType(c));
    for (const b of batches) {
      const chunk = DuckDBDataChunk.create(types, b.numRows);
      chunk.setColumns(batchCells(b, TYPES));
      app.appendDataChunk(chunk);
    }
  });
}

/**
 * The load-path micro-benchmark: the same Arrow batches of the calls schema into a fresh DuckDB file three
 * ways, alternating, `repeat` times. Building the batches is not timed.
 */
export async function loadPath(task: Extract<Task, { kind: 'load-path' }>): Promise<TaskResult> {
  const batches = makeBatches(task.rows);
  const rows = batches.reduce((n, b) => n + b.numRows, 0);
  checkRows('load-path data', rows, task.rows);
  const baseRssMb = rssMb();
  const detail: Record<string, number[]> = { staging: [], stage: [], commit: [], cells: [], chunks: [] };
  for (let trial = 0; trial < task.repeat; trial++) {
    const dir = path.join(task.workDir, `trial-${trial}`);
    await fs.mkdir(dir, { recursive: true });
    const runs = [
      async () => {
        const r = await viaStaging(batches, dir);
        detail.staging.push(r.ms);
        detail.stage.push(r.stageMs);
        detail.commit.push(r.commitMs);
        return r.db;
      },
      async () => {
        const r = await viaAppenderCells(batches, dir);
        detail.cells.push(r.ms);
        return r.db;
      },
      async () => {
        const r = await viaAppenderChunks(batches, dir);
        detail.chunks.push(r.ms);
        return r.db;
      },
    ];
    // Rotate the order each trial so no path always runs first (cold caches) or last.
    for (let k = 0; k < runs.length; k++) {
      const db = await runs[(k + trial) % runs.length]();
      checkRows(
        `load-path ${path.basename(db)}`,
        (await countCalls({ type: 'duckdb', path: db })).rows,
        rows,
      );
    }
    await fs.rm(dir, { recursive: true, force: true });
  }
  return { ms: 0, rows, maxRssMb: peakRssMb(), baseRssMb, detail };
}
