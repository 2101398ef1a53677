import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as arrow from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callsSchema } from '../../connectors/callscaler/schema.js';
import {
  createDestination,
  type Destination,
  DuckDBDestination,
  LockedError,
  Stager,
} from '../../src/load/index.js';
import type { TableSchema } from '../../src/schema/table.js';
import { eventStager, runningRun, eventsSchema as schema } from '../helpers/load-events.js';

let tmp: string;
let dbPath: string;
let dest: Destination;

const stage = eventStager(() => tmp);

/** SQL on the open database (the destination holds the file, so reads go through it). */
const q = (sql: string) => (dest as DuckDBDestination).query(sql);

const key = { pipeline: 'p', stream: 'events', account: 'acct' };

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
    dest = createDestination({ type: 'duckdb', path: dbPath, memory_limit: '96MB' });
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

describe('DuckDB destination: commit', () => {
  beforeEach(() => dest.ensureTable(schema));

  it('merges overlapping commits: one row per key, later values win', async () => {
    const first = await dest.commit({
      schema,
      files: await stage([
        { id: 'a', n: 1, at: '2024-03-01T10:00:00Z', tags: ['x'] },
        { id: 'b', n: 2, at: '2024-03-02T10:00:00Z' },
      ]),
      rejects: [],
    });
    expect(first.rows).toBe(2);
    const second = await dest.commit({
      schema,
      files: await stage([
        { id: 'b', n: 20, at: '2024-03-02T10:00:00Z', tags: ['y', 'z'] },
        { id: 'c', n: 3, at: '2024-03-03T23:59:59.123Z' },
      ]),
      rejects: [],
    });
    expect(second.rows).toBe(2);
    expect(await q(`SELECT id, n, tags, created_at, day FROM events ORDER BY id`)).toEqual([
      { id: 'a', n: '1', tags: ['x'], created_at: '2024-03-01 10:00:00+00', day: '2024-03-01' },
      { id: 'b', n: '20', tags: ['y', 'z'], created_at: '2024-03-02 10:00:00+00', day: '2024-03-02' },
      { id: 'c', n: '3', tags: [], created_at: '2024-03-03 23:59:59.123+00', day: '2024-03-03' },
    ]);
  });

  it('lets the later file win within one commit, and the later row within one file', async () => {
    const files = await stage(
      [
        { id: 'a', n: 1, at: '2024-03-01T10:00:00Z' },
        { id: 'a', n: 2, at: '2024-03-01T10:00:00Z' },
        { id: 'b', n: 1, at: '2024-03-01T10:00:00Z' },
      ],
      [
        { id: 'b', n: 2, at: '2024-03-01T10:00:00Z' },
        { id: 'b', n: 3, at: '2024-03-01T10:00:00Z' },
      ],
    );
    const { rows } = await dest.commit({ schema, files, rejects: [] });
    expect(rows).toBe(2);
    expect(await q('SELECT id, n FROM events ORDER BY id')).toEqual([
      { id: 'a', n: '2' },
      { id: 'b', n: '3' },
    ]);
  });

  it('orders by the files list, not by file name', async () => {
    const early = await stage([{ id: 'a', n: 1, at: '2024-03-01T10:00:00Z' }]);
    const late = await stage([{ id: 'a', n: 2, at: '2024-03-01T10:00:00Z' }]);
    await dest.commit({ schema, files: [...late, ...early], rejects: [] });
    expect(await q('SELECT n FROM events')).toEqual([{ n: '1' }]);
  });

  it('round-trips rejects and state in the same commit', async () => {
    expect(await dest.readState(key)).toBeUndefined();
    const reject = {
      stream: 'events',
      run_id: 'r1',
      source: 'export',
      line: 7,
      raw: 'a,\'b\n"c',
      reason: 'bad date',
    };
    await dest.commit({
      schema,
      files: [],
      rejects: [reject, { ...reject, line: null, raw: '{}' }],
      state: { key, value: { watermark: '2024-03-01T00:00:00Z', windows: [1, 2] } },
    });
    expect(await dest.readState(key)).toEqual({ watermark: '2024-03-01T00:00:00Z', windows: [1, 2] });
    expect(await dest.readState({ ...key, account: 'other' })).toBeUndefined();
    const rej = await q(
      'SELECT stream, run_id, source, line, raw, reason FROM _rejected ORDER BY line NULLS LAST',
    );
    expect(rej).toEqual([
      { ...reject, line: '7' },
      { ...reject, line: null, raw: '{}' },
    ]);
    await dest.commit({ schema, files: [], rejects: [], state: { key, value: { watermark: 'later' } } });
    expect(await dest.readState(key)).toEqual({ watermark: 'later' });
  });

  it.each([
    ['a staged file that does not exist', async () => [path.join(tmp, 'missing.parquet')]],
    [
      'a corrupt staged file',
      async () => {
        const bad = path.join(tmp, 'corrupt.parquet');
        await fs.writeFile(bad, 'PAR1 this is not parquet PAR1');
        return [...(await stage([{ id: 'z', n: 9, at: '2024-03-09T00:00:00Z' }])), bad];
      },
    ],
  ])('leaves table, rejects and state unchanged on %s', async (_name, files) => {
    await dest.commit({
      schema,
      files: await stage([{ id: 'a', n: 1, at: '2024-03-01T10:00:00Z' }]),
      rejects: [{ stream: 'events', run_id: 'r0', source: 'list', line: null, raw: 'x', reason: 'y' }],
      state: { key, value: { watermark: 'old' } },
    });
    const failing = dest.commit({
      schema,
      files: [...(await stage([{ id: 'a', n: 100, at: '2024-03-01T10:00:00Z' }])), ...(await files())],
      rejects: [{ stream: 'events', run_id: 'r1', source: 'list', line: 1, raw: 'x', reason: 'y' }],
      state: { key, value: { watermark: 'new' } },
    });
    await expect(failing).rejects.toMatchObject({
      code: 'CS_LOAD',
      message: expect.stringContaining('commit to table events'),
    });
    expect(await q('SELECT id, n FROM events')).toEqual([{ id: 'a', n: '1' }]);
    expect(await q('SELECT run_id FROM _rejected')).toEqual([{ run_id: 'r0' }]);
    expect(await dest.readState(key)).toEqual({ watermark: 'old' });
    // The connection is usable again after the rollback.
    await dest.commit({
      schema,
      files: await stage([{ id: 'b', n: 2, at: '2024-03-01T10:00:00Z' }]),
      rejects: [],
    });
    expect(await q('SELECT count(*)::INT AS n FROM events')).toEqual([{ n: 2 }]);
  });

  it('refuses rows without a primary key instead of dropping them', async () => {
    const stager = new Stager(path.join(tmp, 'nullpk'));
    await stager.write(new arrow.Table({ id: arrow.vectorFromArray(['ok', null], new arrow.Utf8()) }));
    await expect(dest.commit({ schema, files: stager.files, rejects: [] })).rejects.toMatchObject({
      code: 'CS_LOAD',
      message: expect.stringMatching(
        /^commit to table events in .* failed: 1 staged rows of events have no id \(NULL primary key\)$/,
      ),
    });
    expect(await q('SELECT count(*)::INT AS n FROM events')).toEqual([{ n: 0 }]);
  });

  it('records runs as an upsert by run_id', async () => {
    const run = runningRun();
    await dest.recordRun(run);
    await dest.recordRun({
      ...run,
      status: 'succeeded',
      finished_at: new Date('2024-03-01T00:05:00Z'),
      rows: 42,
      details: { calls: { rows: 42 } },
    });
    expect(await q('SELECT run_id, status, rows, finished_at, details FROM _sync_runs')).toEqual([
      {
        run_id: 'r1',
        status: 'succeeded',
        rows: '42',
        finished_at: '2024-03-01 00:05:00+00',
        details: '{"calls":{"rows":42}}',
      },
    ]);
  });

  it('serializes concurrent commits on its one connection', async () => {
    const a = await stage([{ id: 'a', n: 1, at: '2024-03-01T10:00:00Z' }]);
    const b = await stage([{ id: 'a', n: 2, at: '2024-03-01T10:00:00Z' }]);
    await Promise.all([
      dest.commit({ schema, files: a, rejects: [] }),
      dest.commit({ schema, files: b, rejects: [] }),
    ]);
    expect(await q('SELECT n FROM events')).toEqual([{ n: '2' }]);
  });
});

describe('DuckDB destination: snapshots', () => {
  beforeEach(() => dest.ensureTable(schema));

  it('publishes a snapshot in place of the live table, with state, atomically', async () => {
    await dest.commit({
      schema,
      files: await stage([
        { id: 'old1', n: 1, at: '2024-03-01T10:00:00Z' },
        { id: 'keep', n: 1, at: '2024-03-01T10:00:00Z' },
      ]),
      rejects: [],
    });
    await dest.beginSnapshot(schema, 'Full-2024');
    await dest.commit({
      schema,
      snapshot: 'Full-2024',
      files: await stage([{ id: 'keep', n: 2, at: '2024-03-01T10:00:00Z' }]),
      rejects: [],
    });
    // Until publish, readers see the old table.
    expect(await q('SELECT id FROM events ORDER BY id')).toEqual([{ id: 'keep' }, { id: 'old1' }]);
    await dest.commit({
      schema,
      snapshot: 'Full-2024',
      files: await stage([{ id: 'new', n: 3, at: '2024-03-02T10:00:00Z' }]),
      rejects: [],
    });
    const { rows } = await dest.publishSnapshot(schema, 'Full-2024', { key, value: { full: 'done' } });
    expect(rows).toBe(2);
    expect(await q('SELECT id, n FROM events ORDER BY id')).toEqual([
      { id: 'keep', n: '2' },
      { id: 'new', n: '3' },
    ]);
    expect(await dest.readState(key)).toEqual({ full: 'done' });
    expect(
      await q(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'events%' ORDER BY 1`),
    ).toEqual([{ table_name: 'events' }]);
    const comments = await q(
      `SELECT comment FROM duckdb_columns() WHERE table_name = 'events' AND column_name = 'tags'`,
    );
    expect(comments).toEqual([{ comment: 'Labels' }]);
    // Merging into the published table still honours the primary key.
    await dest.commit({
      schema,
      files: await stage([{ id: 'new', n: 4, at: '2024-03-02T10:00:00Z' }]),
      rejects: [],
    });
    expect(await q(`SELECT n FROM events WHERE id = 'new'`)).toEqual([{ n: '4' }]);
  });

  it('resumes a crashed snapshot with the same id, and a publish drops stale shadows of other ids', async () => {
    await dest.beginSnapshot(schema, 'run-a');
    await dest.commit({
      schema,
      snapshot: 'run-a',
      files: await stage([{ id: 'a', n: 1, at: '2024-03-01T10:00:00Z' }]),
      rejects: [],
    });
    await dest.close(); // the "crash": nothing published
    await dest.open();
    await dest.beginSnapshot(schema, 'run-a'); // resumes: rows already in the shadow are kept
    await dest.commit({
      schema,
      snapshot: 'run-a',
      files: await stage([{ id: 'b', n: 2, at: '2024-03-01T10:00:00Z' }]),
      rejects: [],
    });
    expect(await q('SELECT id FROM events__snapshot_run_a ORDER BY id')).toEqual([{ id: 'a' }, { id: 'b' }]);

    await dest.beginSnapshot(schema, 'run-b');
    await dest.commit({
      schema,
      snapshot: 'run-b',
      files: await stage([{ id: 'c', n: 3, at: '2024-03-01T10:00:00Z' }]),
      rejects: [],
    });
    await dest.publishSnapshot(schema, 'run-b');
    expect(await q('SELECT id FROM events')).toEqual([{ id: 'c' }]);
    expect(
      await q(`SELECT count(*)::INT AS n FROM duckdb_tables() WHERE table_name LIKE 'events__snapshot%'`),
    ).toEqual([{ n: 0 }]);
  });

  it('refuses to commit into or publish a snapshot that was not begun', async () => {
    await expect(dest.commit({ schema, snapshot: 'nope', files: [], rejects: [] })).rejects.toThrow(
      'snapshot nope of events was not begun (no table events__snapshot_nope)',
    );
    await expect(dest.publishSnapshot(schema, 'nope')).rejects.toThrow(
      'cannot publish snapshot nope of events: no table events__snapshot_nope (beginSnapshot first)',
    );
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
