// What only the Parquet dataset does (its files); what every destination promises is in
// destination-contract.test.ts.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callsSchema } from '../../connectors/callscaler/schema.js';
import { type Destination, ParquetDestination, Stager } from '../../src/load/index.js';
import type { TableSchema } from '../../src/schema/table.js';
import { listTree } from '../helpers/files.js';
import {
  destinationPerTest,
  eventStager,
  runningRun,
  eventsSchema as schema,
} from '../helpers/load-events.js';

let tmp: string;
let root: string;
let dest: Destination;
let reader: DuckDBConnection;
let readerDb: DuckDBInstance;

const stage = eventStager(() => tmp);

/** Reads the dataset the way a user would: DuckDB over the files, default hive detection. */
async function q(sql: string): Promise<Record<string, unknown>[]> {
  return (await reader.runAndReadAll(sql.replaceAll('$ROOT', root))).getRowObjectsJson() as Record<
    string,
    unknown
  >[];
}

const key = { pipeline: 'p', stream: 'events', account: 'acct' };
const ALL = `read_parquet('$ROOT/events/**/*.parquet')`;

beforeAll(async () => {
  readerDb = await DuckDBInstance.create(':memory:');
  reader = await readerDb.connect();
  await reader.run(`SET TimeZone = 'UTC'`);
});
afterAll(() => {
  reader.closeSync();
  readerDb.closeSync();
});

destinationPerTest('load-parquet-', (dir) => {
  tmp = dir;
  root = path.join(dir, 'out', 'parquet');
  dest = new ParquetDestination(root);
  return dest;
});

describe('Parquet dataset: merge', () => {
  it('writes one file per partition and reads back with each column once, typed', async () => {
    const { rows } = await dest.commit({
      schema,
      files: await stage([
        { id: 'a', n: 1, at: '2024-03-01T10:00:00Z', tags: ['x'] },
        { id: 'b', n: 2, at: '2024-03-02T23:59:59.5Z' },
        { id: 'c', n: 3, at: null },
      ]),
      rejects: [],
    });
    expect(rows).toBe(3);
    expect(await listTree(path.join(root, 'events'))).toEqual([
      'day=2024-03-01/data.parquet',
      'day=2024-03-02/data.parquet',
      'day=__HIVE_DEFAULT_PARTITION__/data.parquet',
    ]);
    expect(
      (await q(`DESCRIBE SELECT * FROM ${ALL}`)).map((c) => `${c.column_name} ${c.column_type}`),
    ).toEqual([
      'id VARCHAR',
      'n BIGINT',
      'created_at TIMESTAMP WITH TIME ZONE',
      'tags VARCHAR[]',
      'day DATE',
    ]);
    expect(await q(`SELECT id, n, created_at, tags, day FROM ${ALL} ORDER BY id`)).toEqual([
      { id: 'a', n: '1', created_at: '2024-03-01 10:00:00+00', tags: ['x'], day: '2024-03-01' },
      { id: 'b', n: '2', created_at: '2024-03-02 23:59:59.5+00', tags: [], day: '2024-03-02' },
      { id: 'c', n: '3', created_at: null, tags: [], day: null },
    ]);
  });

  it('rewrites only the partitions that the rows of a commit fall in', async () => {
    await dest.commit({
      schema,
      files: await stage([
        { id: 'a', n: 1, at: '2024-03-01T10:00:00Z' },
        { id: 'b', n: 1, at: '2024-03-02T10:00:00Z' },
        { id: 'c', n: 1, at: '2024-03-03T10:00:00Z' },
      ]),
      rejects: [],
    });
    const untouched = await fs.stat(path.join(root, 'events/day=2024-03-03/data.parquet'));
    await dest.commit({
      schema,
      files: await stage([
        { id: 'b', n: 2, at: '2024-03-02T10:00:00Z' },
        { id: 'd', n: 1, at: '2024-03-02T11:00:00Z' },
      ]),
      rejects: [],
    });
    expect(await q(`SELECT id, n FROM '$ROOT/events/day=2024-03-02/data.parquet' ORDER BY id`)).toEqual([
      { id: 'b', n: '2' },
      { id: 'd', n: '1' },
    ]);
    const after = await fs.stat(path.join(root, 'events/day=2024-03-03/data.parquet'));
    expect(after.mtimeMs).toBe(untouched.mtimeMs);
  });

  it('writes the calls schema with DATE call_date and TIMESTAMPTZ created_at partitions', async () => {
    await dest.ensureTable(callsSchema);
    const created = [Date.UTC(2024, 4, 1, 9), Date.UTC(2024, 4, 2, 15)];
    const fields = new Map<string, arrow.Vector>([
      ['account', arrow.vectorFromArray(['acme', 'acme'], new arrow.Utf8())],
      ['id', arrow.vectorFromArray(['c1', 'c2'], new arrow.Utf8())],
      ['created_at', arrow.vectorFromArray(created, new arrow.TimestampMillisecond('UTC'))],
      [
        'call_date',
        arrow.vectorFromArray(
          created.map((ms) => new Date(ms - (ms % 86_400_000))),
          new arrow.DateDay(),
        ),
      ],
      ['value_cents', arrow.vectorFromArray([12345n, null], new arrow.Int64())],
      [
        'keywords_spotted',
        arrow.vectorFromArray(
          [['quote'], []],
          new arrow.List(new arrow.Field('item', new arrow.Utf8(), true)),
        ),
      ],
    ]);
    const stager = new Stager(path.join(tmp, 'calls-staging'));
    await stager.write(new arrow.Table(Object.fromEntries(fields)));
    await dest.commit({ schema: callsSchema, files: stager.files, rejects: [] });
    const cols = new Map(
      (await q(`DESCRIBE SELECT * FROM read_parquet('$ROOT/calls/**/*.parquet')`)).map((c) => [
        c.column_name,
        c.column_type,
      ]),
    );
    expect(cols.size).toBe(callsSchema.columns.length);
    expect(cols.get('call_date')).toBe('DATE');
    expect(cols.get('created_at')).toBe('TIMESTAMP WITH TIME ZONE');
    expect(cols.get('value_cents')).toBe('BIGINT');
    expect(cols.get('ai_score')).toBe('INTEGER');
    expect(cols.get('_extra')).toBe('JSON');
    expect(
      await q(`SELECT id, call_date, value_cents FROM read_parquet('$ROOT/calls/**/*.parquet') ORDER BY id`),
    ).toEqual([
      { id: 'c1', call_date: '2024-05-01', value_cents: '12345' },
      { id: 'c2', call_date: '2024-05-02', value_cents: null },
    ]);
    // Partitioned by account, then by date.
    expect(await listTree(path.join(root, 'calls'))).toEqual([
      'account=acme/call_date=2024-05-01/data.parquet',
      'account=acme/call_date=2024-05-02/data.parquet',
    ]);
  });

  it('writes an unpartitioned table as one file', async () => {
    const flat: TableSchema = { ...schema, name: 'flat', partitionBy: undefined };
    await dest.ensureTable(flat);
    await dest.commit({
      schema: flat,
      files: await stage([{ id: 'a', n: 1, at: '2024-03-01T10:00:00Z' }]),
      rejects: [],
    });
    await dest.commit({
      schema: flat,
      files: await stage([{ id: 'a', n: 2, at: '2024-03-09T10:00:00Z' }]),
      rejects: [],
    });
    expect(await listTree(path.join(root, 'flat'))).toEqual(['data.parquet']);
    expect(await q(`SELECT id, n FROM '$ROOT/flat/data.parquet'`)).toEqual([{ id: 'a', n: '2' }]);
  });

  it('rewrites old partitions when a column is added, so every file has the same columns', async () => {
    await dest.commit({
      schema,
      files: await stage([{ id: 'a', n: 1, at: '2024-03-01T10:00:00Z' }]),
      rejects: [],
    });
    const evolved: TableSchema = {
      ...schema,
      columns: [...schema.columns, { name: 'score', type: 'float64', origin: 'api', description: 'New' }],
    };
    await dest.ensureTable(evolved);
    await dest.commit({
      schema: evolved,
      files: await stage([{ id: 'b', n: 2, at: '2024-03-05T10:00:00Z' }]),
      rejects: [],
    });
    expect(await q(`SELECT id, score FROM ${ALL} ORDER BY id`)).toEqual([
      { id: 'a', score: null },
      { id: 'b', score: null },
    ]);
    expect(
      (await q(`DESCRIBE SELECT * FROM '$ROOT/events/day=2024-03-01/data.parquet'`)).at(-1),
    ).toMatchObject({
      column_name: 'score',
      column_type: 'DOUBLE',
    });
  });
});

describe('Parquet dataset: rejects, state, run and temp files', () => {
  it('writes rejects as new files per run and commit, never overwriting, and state as one file per key', async () => {
    // The run id is escaped in the file names ('/' is %2F).
    const reject = {
      stream: 'events',
      run_id: 'run/1',
      account: 'acct',
      source: 'export',
      line: 3,
      raw: 'x',
      reason: 'bad',
    };
    await dest.commit({ schema, files: [], rejects: [reject], state: { key, value: { watermark: 'w1' } } });
    await dest.commit({
      schema,
      files: [],
      rejects: [{ ...reject, line: null }],
      state: { key, value: { watermark: 'w2' } },
    });
    expect(await listTree(path.join(root, '_rejected'))).toEqual([
      'events/run%2F1-000001.parquet',
      'events/run%2F1-000002.parquet',
    ]);
    expect(await listTree(path.join(root, '_state'))).toEqual(['p.events.acct.json']);
  });

  it('records runs as one JSON file per run_id, replaced atomically', async () => {
    const run = runningRun({ account: 'a', requests: 1 });
    await dest.recordRun(run);
    await dest.recordRun({
      ...run,
      status: 'failed',
      message: 'boom',
      finished_at: new Date('2024-03-01T00:01:00Z'),
    });
    expect(await listTree(path.join(root, '_sync_runs'))).toEqual(['r1.json']);
    expect(JSON.parse(await fs.readFile(path.join(root, '_sync_runs/r1.json'), 'utf8'))).toMatchObject({
      status: 'failed',
      message: 'boom',
      finished_at: '2024-03-01T00:01:00.000Z',
    });
  });

  it('removes temp files left by a crashed run when it opens', async () => {
    await dest.commit({
      schema,
      files: await stage([{ id: 'a', n: 1, at: '2024-03-01T10:00:00Z' }]),
      rejects: [],
    });
    const leftover = path.join(root, 'events/day=2024-03-01/.data.parquet.tmp-123-deadbeef');
    await fs.writeFile(leftover, 'partial');
    await dest.close();
    await dest.open();
    expect(await listTree(path.join(root, 'events'))).toEqual(['day=2024-03-01/data.parquet']);
  });
});

describe('Parquet dataset: snapshots', () => {
  it('publishes the partitions of a snapshot in place of the live ones and removes the rest', async () => {
    await dest.commit({
      schema,
      files: await stage([
        { id: 'gone', n: 1, at: '2024-01-01T10:00:00Z' },
        { id: 'keep', n: 1, at: '2024-03-01T10:00:00Z' },
      ]),
      rejects: [],
    });
    await dest.beginSnapshot(schema, 'full-1');
    await dest.commit({
      schema,
      snapshot: 'full-1',
      files: await stage([
        { id: 'keep', n: 2, at: '2024-03-01T10:00:00Z' },
        { id: 'new', n: 1, at: '2024-03-04T10:00:00Z' },
      ]),
      rejects: [],
    });
    await dest.publishSnapshot(schema, 'full-1');
    expect(await listTree(path.join(root, 'events'))).toEqual([
      'day=2024-03-01/data.parquet',
      'day=2024-03-04/data.parquet',
    ]);
  });

  it('can re-run an interrupted publish', async () => {
    await dest.beginSnapshot(schema, 'b');
    await dest.commit({
      schema,
      snapshot: 'b',
      files: await stage([
        { id: 'y', n: 1, at: '2024-03-01T10:00:00Z' },
        { id: 'z', n: 1, at: '2024-03-02T10:00:00Z' },
      ]),
      rejects: [],
    });
    // One partition already swapped in by hand, as a crash mid-publish would leave it.
    const partial = path.join(root, 'events/day=2024-03-01');
    await fs.mkdir(partial, { recursive: true });
    await fs.copyFile(
      path.join(root, '.snapshot-b/events/day=2024-03-01/data.parquet'),
      path.join(partial, 'data.parquet'),
    );
    await dest.publishSnapshot(schema, 'b');
    expect(await q(`SELECT id FROM ${ALL} ORDER BY id`)).toEqual([{ id: 'y' }, { id: 'z' }]);
    expect((await fs.readdir(root)).filter((f) => f.startsWith('.snapshot'))).toEqual([]);
  });
});
