// A small `events` table for the destination tests: every column type the loaders treat specially
// (64-bit ints, instants, lists, a derived partition date), staged the way the pipeline stages rows.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as arrow from 'apache-arrow';
import { afterEach, beforeEach } from 'vitest';
import { type Destination, type RunRecord, startedRun } from '../../src/load/destination.js';
import { Stager } from '../../src/load/index.js';
import type { TableSchema } from '../../src/schema/table.js';

export const eventsSchema: TableSchema = {
  name: 'events',
  primaryKey: 'id',
  partitionBy: 'day',
  columns: [
    { name: 'id', type: 'utf8', origin: 'api', description: 'Event id' },
    { name: 'n', type: 'int64', origin: 'api', description: 'A 64-bit count' },
    { name: 'created_at', type: 'timestamp', origin: 'api', description: 'When it happened' },
    { name: 'tags', type: 'list_utf8', origin: 'api', description: 'Labels' },
    { name: 'day', type: 'date', origin: 'derived', description: 'UTC date of created_at' },
  ],
};

/** One event; `at: null` leaves created_at and its partition day NULL. */
export type Ev = { id: string; n: number; at: string | null; tags?: string[] };

export function eventsBatch(rows: Ev[]): arrow.Table {
  const at = rows.map((r) => (r.at === null ? null : Date.parse(r.at)));
  return new arrow.Table({
    id: arrow.vectorFromArray(
      rows.map((r) => r.id),
      new arrow.Utf8(),
    ),
    n: arrow.vectorFromArray(
      rows.map((r) => BigInt(r.n)),
      new arrow.Int64(),
    ),
    created_at: arrow.vectorFromArray(at, new arrow.TimestampMicrosecond('UTC')),
    tags: arrow.vectorFromArray(
      rows.map((r) => r.tags ?? []),
      new arrow.List(new arrow.Field('item', new arrow.Utf8(), true)),
    ),
    day: arrow.vectorFromArray(
      at.map((ms) => (ms === null ? null : new Date(ms - (ms % 86_400_000)))),
      new arrow.DateDay(),
    ),
  });
}

/**
 * `stage(...batches)`: writes each batch as a staged Parquet file under `<tmp()>/staging/<n>`, a fresh
 * directory per call, and returns the files in order. `tmp` is read per call (it changes per test).
 */
export function eventStager(tmp: () => string): (...batches: Ev[][]) => Promise<string[]> {
  let seq = 0;
  return async (...batches) => {
    const stager = new Stager(path.join(tmp(), 'staging', String(++seq)));
    for (const b of batches) await stager.write(eventsBatch(b));
    return stager.files;
  };
}

/** A run as recordRun first sees it: started, nothing counted yet. */
export function runningRun(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    ...startedRun({
      run_id: 'r1',
      pipeline: 'p',
      account: 'acct',
      started_at: new Date('2024-03-01T00:00:00Z'),
    }),
    ...overrides,
  };
}

/**
 * Per test: a fresh temp dir and the destination `make` puts in it, opened, with the events table; after the
 * test, closed and the dir removed. `make` keeps what the test needs (the dir, the destination).
 */
export function destinationPerTest(prefix: string, make: (tmp: string) => Destination): void {
  let tmp: string;
  let dest: Destination;
  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
    dest = make(tmp);
    await dest.open();
    await dest.ensureTable(eventsSchema);
  });
  afterEach(async () => {
    await dest.close();
    await fs.rm(tmp, { recursive: true, force: true });
  });
}
