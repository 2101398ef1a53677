// What only the DuckDB destination does; what every destination promises is in
// destination-contract.test.ts.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callsSchema } from '../../connectors/callscaler/schema.js';
import { createDestination, type Destination, DuckDBDestination, LockedError } from '../../src/load/index.js';
import type { TableSchema } from '../../src/schema/table.js';
import { eventStager, eventsSchema as schema } from '../helpers/load-events.js';

let tmp: string;
let dbPath: string;
let dest: Destination;

const stage = eventStager(() => tmp);

/** SQL on the open database (the destination holds the file, so reads go through it). */
const q = (sql: string) => (dest as DuckDBDestination).query(sql);

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'load-duckdb-'));
  dbPath = path.join(tmp, 'nested', 'db.duckdb');
  dest = new DuckDBDestination(dbPath);
  await dest.open();
});

afterEach(async () => {
  await dest.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('DuckDB destination: tables', () => {
  it('creates the table with types and comments from the schema, and no key constraint', async () => {
    await dest.ensureTable(schema);
    const cols = await q(`DESCRIBE events`);
    // No PRIMARY KEY: its index grows in memory with the table; the merge keeps one row per key instead.
    expect(cols.map((c) => [c.column_name, c.column_type, c.key])).toEqual([
      ['id', 'VARCHAR', null],
      ['n', 'BIGINT', null],
      ['created_at', 'TIMESTAMP WITH TIME ZONE', null],
      ['tags', 'VARCHAR[]', null],
      ['day', 'DATE', null],
    ]);
    const comments = await q(`SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'events'`);
    expect(comments.find((c) => c.column_name === 'n')?.comment).toBe('A 64-bit count');
    expect(dest.description).toBe(`duckdb ${dbPath}`);
  });

  it('derives the calls DDL from the calls schema', async () => {
    await dest.ensureTable(callsSchema);
    const cols = new Map((await q('DESCRIBE calls')).map((c) => [c.column_name, c.column_type]));
    expect(cols.size).toBe(callsSchema.columns.length);
    expect(cols.get('created_at')).toBe('TIMESTAMP WITH TIME ZONE');
    expect(cols.get('value_cents')).toBe('BIGINT');
    expect(cols.get('duration_seconds')).toBe('INTEGER');
    expect(cols.get('keywords_spotted')).toBe('VARCHAR[]');
    expect(cols.get('robo_score')).toBe('DOUBLE');
    expect(cols.get('qualified_ai')).toBe('BOOLEAN');
    expect(cols.get('call_date')).toBe('DATE');
    expect(cols.get('_extra')).toBe('JSON');
  });

  it('adds a new column (additive evolution) and keeps existing rows', async () => {
    await dest.ensureTable(schema);
    await dest.commit({
      schema,
      files: await stage([{ id: 'a', n: 1, at: '2024-03-01T10:00:00Z' }]),
      rejects: [],
    });
    const evolved: TableSchema = {
      ...schema,
      columns: [...schema.columns, { name: 'note', type: 'utf8', origin: 'api', description: 'New field' }],
    };
    await dest.ensureTable(evolved);
    expect((await q('DESCRIBE events')).map((c) => c.column_name)).toContain('note');
    // Files staged before the column existed still load: the missing column becomes NULL.
    await dest.commit({
      schema: evolved,
      files: await stage([{ id: 'b', n: 2, at: '2024-03-01T11:00:00Z' }]),
      rejects: [],
    });
    expect(await q('SELECT id, note FROM events ORDER BY id')).toEqual([
      { id: 'a', note: null },
      { id: 'b', note: null },
    ]);
  });

  it('refuses a column whose type changed', async () => {
    await dest.ensureTable(schema);
    const changed: TableSchema = {
      ...schema,
      columns: schema.columns.map((c) => (c.name === 'n' ? { ...c, type: 'utf8' as const } : c)),
    };
    await expect(dest.ensureTable(changed)).rejects.toThrow(
      'table events: column n is BIGINT but the schema says VARCHAR; only additive changes are applied automatically',
    );
  });

  it('refuses invalid identifiers', async () => {
    await expect(dest.ensureTable({ ...schema, name: 'Events; DROP' })).rejects.toThrow(
      'invalid identifier "Events; DROP": expected ^[a-z_][a-z0-9_]*$',
    );
  });
});

describe('DuckDB destination: engine settings', () => {
  it('runs under the configured memory limit, spilling beside the database file', async () => {
    await dest.close();
    dest = createDestination({ type: 'duckdb', path: dbPath, schema: 'main', memory_limit: '96MB' }, '/');
    await dest.open();
    const [s] = await q(
      `SELECT current_setting('memory_limit') AS mem, current_setting('temp_directory') AS tmp, current_database() AS db,
              current_setting('checkpoint_threshold') AS ckpt`,
    );
    // 1GB: DuckDB's 16MB default made a sync checkpoint every other commit.
    expect(s).toEqual({ mem: '91.5 MiB', tmp: `${dbPath}.tmp`, db: 'warehouse', ckpt: '953.6 MiB' });
  });

  it('writes row groups of 16,384 rows', async () => {
    await dest.ensureTable(schema);
    const rowsOf = Array.from({ length: 40_000 }, (_, i) => ({
      id: `k${i}`,
      n: i,
      at: '2024-03-01T10:00:00Z',
    }));
    await dest.commit({ schema, files: await stage(rowsOf), rejects: [] });
    await q('CHECKPOINT');
    const groups = await q(
      `SELECT DISTINCT row_group_id, count FROM pragma_storage_info('events') ORDER BY row_group_id`,
    );
    expect(groups.map((g) => Number(g.count))).toEqual([16_384, 16_384, 40_000 - 2 * 16_384]);
  });

  it('merges into a table made by an earlier version, with a PRIMARY KEY, and keeps one row per key', async () => {
    await q(
      'CREATE TABLE events (id VARCHAR PRIMARY KEY, n BIGINT, created_at TIMESTAMPTZ, tags VARCHAR[], day DATE)',
    );
    for (const n of [1, 2]) {
      await dest.commit({
        schema,
        files: await stage([{ id: 'a', n, at: '2024-03-01T10:00:00Z' }]),
        rejects: [],
      });
    }
    expect(await q('SELECT id, n FROM events')).toEqual([{ id: 'a', n: '2' }]);
  });
});

describe('DuckDB destination: snapshots', () => {
  it('publishes a snapshot with the column comments of the schema', async () => {
    await dest.ensureTable(schema);
    await dest.beginSnapshot(schema, 'full');
    await dest.commit({
      schema,
      snapshot: 'full',
      files: await stage([{ id: 'a', n: 1, at: '2024-03-01T10:00:00Z' }]),
      rejects: [],
    });
    await dest.publishSnapshot(schema, 'full');
    const comments = await q(
      `SELECT comment FROM duckdb_columns() WHERE table_name = 'events' AND column_name = 'tags'`,
    );
    expect(comments).toEqual([{ comment: 'Labels' }]);
  });
});

describe('DuckDB destination: lock within one process', () => {
  it('refuses a second writer in the same process with LockedError naming this pid, until closed', async () => {
    const second = new DuckDBDestination(dbPath);
    const err = await second.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockedError);
    expect((err as LockedError).code).toBe('CS_LOCKED');
    expect((err as LockedError).message).toContain(`another run holds ${dbPath} (pid ${process.pid}`);
    expect((err as LockedError).message).toContain('wait for it or pass --wait');
    // With wait, it gets the database once the first one closes.
    const waiting = second.open({ wait: true, waitTimeoutMs: 10_000 });
    setTimeout(() => void dest.close(), 200);
    await waiting;
    await second.close();
    await dest.open();
  });
});
