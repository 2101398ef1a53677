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

/** The windows the pipeline would fetch (weekly, as `bench/setup.ts` plans them): batches per window. */
const WINDOWS = 18;

/**
 * The simulator's calls in creation order (the order a backfill fetches them), normalized into page-sized
 * Arrow batches exactly as the list path builds them, grouped into the pipeline's windows.
 */
function makeWindows(rows: number): arrow.RecordBatch[][] {
  const store = new CallStore({
    seed: 42,
    size: rows,
    anchorMs: Date.parse(`${ANCHOR}T00:00:00Z`),
    days: DAYS,
  });
  const meta = { account: 'default', runId: 'bench-load', syncedAtMs: Date.now(), extract: 'list' as const };
  const all = [...store.all()].sort((a, b) => a.createdMs - b.createdMs);
  const batches: arrow.RecordBatch[] = [];
  for (let i = 0; i < all.length; i += PAGE_SIZE) {
    const records = all.slice(i, i + PAGE_SIZE).map((r) => toApiCall(r, INCLUDE_ALL));
    const chunk = recordsToChunk(records, meta, 'bench');
    if (chunk.rejects.length > 0) throw new Error(`load-path data: ${chunk.rejects[0].reason}`);
    if (chunk.batch) batches.push(chunk.batch);
  }
  const per = Math.ceil(batches.length / WINDOWS);
  const windows: arrow.RecordBatch[][] = [];
  for (let i = 0; i < batches.length; i += per) windows.push(batches.slice(i, i + per));
  return windows;
}

/**
 * (a) what the pipeline does for a first backfill: every batch to a Parquet file (parquet-wasm), each window
 * committed into the pass's snapshot (GroupCommitter: pieces of at most MAX_COMMIT_BYTES, the checkpoint with
 * the last), the snapshot published, the database closed (its final checkpoint).
 */
async function viaStaging(windows: arrow.RecordBatch[][], dir: string) {
  const db = path.join(dir, 'staging.duckdb');
  const dest = new DuckDBDestination(db, { memoryLimit: DEFAULT_MEMORY_LIMIT });
  await dest.open();
  await dest.ensureTable(callsSchema);
  const snapshot = 'default__bench';
  await dest.beginSnapshot(callsSchema, snapshot);
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  const stagers = windows.map((_, w) => new Stager(path.join(dir, 'staging', String(w))));
  for (const [w, batches] of windows.entries()) for (const b of batches) await stagers[w].write(b);
  const t1 = performance.now();
  const key = { pipeline: 'bench', stream: callsSchema.name, account: 'default' };
  const committer = new GroupCommitter({
    destination: dest,
    table: callsSchema,
    key,
    snapshot,
    checkpoint: () => ({}),
  });
  await Promise.all(stagers.map((st, w) => committer.commit(`w${w}`, st.staged, [])));
  await dest.publishSnapshot(callsSchema, snapshot, { key, value: {} }, 'default');
  await dest.close();
  const t2 = performance.now();
  const cpu = cpuSeconds() - cpu0;
  for (const st of stagers) await st.cleanup();
  return { stageMs: t1 - t0, commitMs: t2 - t1, ms: t2 - t0, cpu, db };
}

/** User + system CPU seconds of this process so far, every thread (DuckDB's included). */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * (b) and (b'): the appender into the live table, one transaction per window (as a window commits with its
 * checkpoint), then close. Opened like the destination opens the file (attached with its row group size, under
 * its memory limit), into the same table without a key constraint, so that only the way rows get in differs.
 */
async function withTable(
  windows: arrow.RecordBatch[][],
  dir: string,
  name: string,
  fill: (app: DuckDBAppender, batch: arrow.RecordBatch) => void,
) {
  const db = path.join(dir, `${name}.duckdb`);
  const { instance, conn, release } = await openDatabase(db, {}, { memoryLimit: DEFAULT_MEMORY_LIMIT });
  await conn.run(createTableSql(callsSchema.name, callsSchema.columns, []));
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  for (const batches of windows) {
    await conn.run('BEGIN TRANSACTION');
    const app = await conn.createAppender(callsSchema.name, 'main', CATALOG);
    for (const b of batches) fill(app, b);
    app.flushSync();
    app.closeSync();
    await conn.run('COMMIT');
  }
  conn.closeSync();
  instance.closeSync();
  release();
  return { ms: performance.now() - t0, cpu: cpuSeconds() - cpu0, db };
}

/** (b) the appender, one append call per cell. */
function viaAppenderCells(windows: arrow.RecordBatch[][], dir: string) {
  return withTable(windows, dir, 'cells', (app, b) => {
    const cols = batchCells(b, TYPES);
    for (let r = 0; r < b.numRows; r++) {
      for (let c = 0; c < cols.length; c++) appendCell(app, TYPES[c], cols[c][r]);
      app.endRow();
    }
  });
}

/** (b') the appender fed whole DataChunks (one per batch, column values set in one call each). */
function viaAppenderChunks(windows: arrow.RecordBatch[][], dir: string) {
  let types: ReturnType<DuckDBAppender['columnType']>[] | undefined;
  return withTable(windows, dir, 'chunks', (app, b) => {
    types ??= TYPES.map((_, c) => app.columnType(c));
    const chunk = DuckDBDataChunk.create(types, b.numRows);
    chunk.setColumns(batchCells(b, TYPES));
    app.appendDataChunk(chunk);
  });
}

/**
 * The load-path micro-benchmark: the same Arrow batches of the calls schema into a fresh DuckDB file three
 * ways, one commit per window, alternating, `repeat` times. Building the batches is not timed.
 */
export async function loadPath(task: Extract<Task, { kind: 'load-path' }>): Promise<TaskResult> {
  const windows = makeWindows(task.rows);
  const rows = windows.flat().reduce((n, b) => n + b.numRows, 0);
  checkRows('load-path data', rows, task.rows);
  const baseRssMb = rssMb();
  const detail: Record<string, number[]> = {
    staging: [],
    stage: [],
    commit: [],
    cells: [],
    chunks: [],
    staging_cpu: [],
    cells_cpu: [],
    chunks_cpu: [],
  };
  for (let trial = 0; trial < task.repeat; trial++) {
    const dir = path.join(task.workDir, `trial-${trial}`);
    await fs.mkdir(dir, { recursive: true });
    const runs = [
      async () => {
        const r = await viaStaging(windows, dir);
        detail.staging.push(r.ms);
        detail.stage.push(r.stageMs);
        detail.commit.push(r.commitMs);
        detail.staging_cpu.push(r.cpu);
        return r.db;
      },
      async () => {
        const r = await viaAppenderCells(windows, dir);
        detail.cells.push(r.ms);
        detail.cells_cpu.push(r.cpu);
        return r.db;
      },
      async () => {
        const r = await viaAppenderChunks(windows, dir);
        detail.chunks.push(r.ms);
        detail.chunks_cpu.push(r.cpu);
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
