// What every Destination promises, run against each kind and checked by reading back what it stored, as a
// user would. What only one kind does (DDL, partition layout, files) is tested in load-duckdb/load-parquet.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { type Destination, Stager, type StateKey, type StateValue } from '../../src/load/index.js';
import { duckdbKind, parquetKind, type StoredDestination } from '../helpers/destination-kinds.js';
import {
  destinationPerTest,
  type Ev,
  eventStager,
  eventsBatch,
  runningRun,
  eventsSchema as schema,
} from '../helpers/load-events.js';

const key = { pipeline: 'p', stream: 'events', account: 'acct' };
const at = '2024-03-01T10:00:00Z';

describe.each([duckdbKind, parquetKind])('destination contract: $name', (kind) => {
  let tmp: string;
  let stored: StoredDestination;
  let dest: Destination;

  const stage = eventStager(() => tmp);
  /** Commits rows, one staged file per batch, into the live table or into snapshot `snapshot`. */
  const put = async (batches: Ev[][], snapshot?: string) =>
    dest.commit({ schema, snapshot, files: await stage(...batches), rejects: [] });
  /** The state for `k`, through the destination and as stored. */
  const expectState = async (k: StateKey, value: StateValue | undefined) => {
    expect(await dest.readState(k)).toEqual(value);
    expect(await stored.state(k)).toEqual(value);
  };
  /** A crash: the destination goes away without publishing or finishing anything, and a new run opens it. */
  const crash = async () => {
    await dest.close();
    await dest.open();
  };

  destinationPerTest(`contract-${kind.name}-`, (dir) => {
    tmp = dir;
    stored = kind.make(dir);
    dest = stored.dest;
    return dest;
  });

  describe('commit', () => {
    it('merges overlapping commits: one row per key, later values win; the same data again changes nothing', async () => {
      const first = await put([
        [
          { id: 'a', n: 1, at: '2024-03-01T10:00:00Z', tags: ['x'] },
          { id: 'b', n: 2, at: '2024-03-02T10:00:00Z' },
        ],
      ]);
      expect(first.rows).toBe(2);
      const later = [
        { id: 'b', n: 20, at: '2024-03-02T10:00:00Z', tags: ['y', 'z'] },
        { id: 'c', n: 3, at: '2024-03-03T23:59:59.123Z' },
      ];
      const second = await put([later]);
      expect(second.rows).toBe(2);
      const merged = [
        { id: 'a', n: '1', tags: ['x'], created_at: '2024-03-01 10:00:00+00', day: '2024-03-01' },
        { id: 'b', n: '20', tags: ['y', 'z'], created_at: '2024-03-02 10:00:00+00', day: '2024-03-02' },
        { id: 'c', n: '3', tags: [], created_at: '2024-03-03 23:59:59.123+00', day: '2024-03-03' },
      ];
      expect(await stored.rows('id, n, tags, created_at, day')).toEqual(merged);
      // A re-run of the same staged data changes nothing (idempotent).
      await put([later]);
      expect(await stored.rows('id, n, tags, created_at, day')).toEqual(merged);
    });

    it('lets the later file win within one commit, and the later row within one file', async () => {
      const { rows } = await put([
        [
          { id: 'a', n: 1, at },
          { id: 'a', n: 2, at },
          { id: 'b', n: 1, at },
        ],
        [
          { id: 'b', n: 2, at },
          { id: 'b', n: 3, at, tags: ['late'] },
        ],
      ]);
      expect(rows).toBe(2);
      expect(await stored.rows('id, n, tags')).toEqual([
        { id: 'a', n: '2', tags: [] },
        { id: 'b', n: '3', tags: ['late'] },
      ]);
    });

    it('orders by the files list, not by file name', async () => {
      const early = await stage([{ id: 'a', n: 1, at }]);
      const late = await stage([{ id: 'a', n: 2, at }]);
      await dest.commit({ schema, files: [...late, ...early], rejects: [] });
      expect(await stored.rows('n')).toEqual([{ n: '1' }]);
    });

    it('round-trips rejects and state in the same commit; later commits add rejects and replace state', async () => {
      await expectState(key, undefined);
      const reject = {
        stream: 'events',
        run_id: 'r1',
        account: 'acct',
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
      await expectState(key, { watermark: '2024-03-01T00:00:00Z', windows: [1, 2] });
      await expectState({ ...key, account: 'other' }, undefined);
      const later = {
        stream: 'events',
        run_id: 'run/1',
        account: 'acct',
        source: 'export',
        line: 3,
        raw: 'a,"b\nc',
        reason: 'bad',
      };
      await dest.commit({
        schema,
        files: [],
        rejects: [later],
        state: { key, value: { watermark: 'later' } },
      });
      await expectState(key, { watermark: 'later' });
      expect(await stored.rejects()).toEqual([
        { ...later, line: '3' },
        { ...reject, line: '7' },
        { ...reject, line: null, raw: '{}' },
      ]);
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
    ])(
      'leaves table, rejects and state unchanged on %s, and commits again after',
      async (_name, badFiles) => {
        await dest.commit({
          schema,
          files: await stage([{ id: 'a', n: 1, at }]),
          rejects: [
            {
              stream: 'events',
              run_id: 'r0',
              account: 'acct',
              source: 'list',
              line: null,
              raw: 'x',
              reason: 'y',
            },
          ],
          state: { key, value: { watermark: 'old' } },
        });
        const before = await stored.files();
        const failing = dest.commit({
          schema,
          files: [...(await stage([{ id: 'a', n: 100, at }])), ...(await badFiles())],
          rejects: [
            {
              stream: 'events',
              run_id: 'r1',
              account: 'acct',
              source: 'list',
              line: 1,
              raw: 'x',
              reason: 'y',
            },
          ],
          state: { key, value: { watermark: 'new' } },
        });
        await expect(failing).rejects.toMatchObject({
          code: 'CS_LOAD',
          message: expect.stringContaining(stored.commitFailed),
        });
        expect(await stored.files()).toEqual(before); // no temp files left behind either
        // The destination is usable again after the failure (before anything reads it back).
        await put([[{ id: 'b', n: 2, at }]]);
        expect(await stored.rows('id, n')).toEqual([
          { id: 'a', n: '1' },
          { id: 'b', n: '2' },
        ]);
        expect((await stored.rejects()).map((r) => r.run_id)).toEqual(['r0']);
        await expectState(key, { watermark: 'old' });
      },
    );

    it('refuses rows without a primary key instead of dropping them', async () => {
      const stager = new Stager(path.join(tmp, 'nullpk'));
      await stager.write(
        new arrow.Table({ id: arrow.vectorFromArray(['ok', null, null], new arrow.Utf8()) }),
      );
      const before = await stored.files();
      await expect(dest.commit({ schema, files: stager.files, rejects: [] })).rejects.toMatchObject({
        code: 'CS_LOAD',
        message: `${stored.commitFailed}: 2 staged rows of events have no id (NULL primary key)`,
      });
      expect(await stored.files()).toEqual(before);
      expect(await stored.rows('id')).toEqual([]);
    });

    it('records runs as an upsert by run_id', async () => {
      const run = runningRun();
      await dest.recordRun(run);
      await dest.recordRun(runningRun({ run_id: 'r2' }));
      await dest.recordRun({
        ...run,
        status: 'succeeded',
        finished_at: new Date('2024-03-01T00:05:00Z'),
        rows: 42,
        details: { calls: { rows: 42 } },
      });
      expect(await stored.runs()).toEqual([
        {
          run_id: 'r1',
          status: 'succeeded',
          message: null,
          rows: '42',
          finished_at: '2024-03-01 00:05:00+00',
          details: '{"calls":{"rows":42}}',
        },
        { run_id: 'r2', status: 'running', message: null, rows: '0', finished_at: null, details: '{}' },
      ]);
    });

    it('serializes concurrent commits', async () => {
      const a = await stage([{ id: 'a', n: 1, at }]);
      const b = await stage([{ id: 'a', n: 2, at }]);
      await Promise.all([
        dest.commit({ schema, files: a, rejects: [] }),
        dest.commit({ schema, files: b, rejects: [] }),
      ]);
      expect(await stored.rows('n')).toEqual([{ n: '2' }]);
    });
  });

  describe('snapshots', () => {
    it('publishes a snapshot in place of the live table, with state', async () => {
      await put([
        [
          { id: 'gone', n: 1, at: '2024-01-01T10:00:00Z' },
          { id: 'keep', n: 1, at },
        ],
      ]);
      await dest.beginSnapshot(schema, 'Full-2024');
      await put([[{ id: 'keep', n: 2, at }]], 'Full-2024');
      // Until publish, readers see the old table.
      expect(await stored.rows('id, n')).toEqual([
        { id: 'gone', n: '1' },
        { id: 'keep', n: '1' },
      ]);
      await put([[{ id: 'new', n: 3, at: '2024-03-04T10:00:00Z' }]], 'Full-2024');
      const { rows } = await dest.publishSnapshot(schema, 'Full-2024', { key, value: { full: 'done' } });
      expect(rows).toBe(2);
      expect(await stored.rows('id, n')).toEqual([
        { id: 'keep', n: '2' },
        { id: 'new', n: '3' },
      ]);
      await expectState(key, { full: 'done' });
      expect(await stored.shadows()).toEqual([]);
      // Merging into the published table still keeps one row per key.
      await put([[{ id: 'new', n: 4, at: '2024-03-04T10:00:00Z' }]]);
      expect(await stored.rows('id, n')).toEqual([
        { id: 'keep', n: '2' },
        { id: 'new', n: '4' },
      ]);
    });

    it('resumes a snapshot by id (after a crash too), and a publish drops stale shadows of other ids', async () => {
      await dest.beginSnapshot(schema, 'run-a');
      await put([[{ id: 'a', n: 1, at }]], 'run-a');
      await crash(); // never published
      await dest.beginSnapshot(schema, 'run-b');
      await put([[{ id: 'b1', n: 1, at }]], 'run-b');
      await dest.beginSnapshot(schema, 'run-b'); // resuming keeps what is there
      await put([[{ id: 'b2', n: 1, at: '2024-03-02T10:00:00Z' }]], 'run-b');
      await crash();
      await dest.beginSnapshot(schema, 'run-b');
      await put([[{ id: 'b3', n: 1, at: '2024-03-03T10:00:00Z' }]], 'run-b');
      expect(await stored.shadows()).toEqual([stored.shadow('run-a'), stored.shadow('run-b')]);
      await dest.publishSnapshot(schema, 'run-b');
      expect(await stored.rows('id')).toEqual([{ id: 'b1' }, { id: 'b2' }, { id: 'b3' }]);
      expect(await stored.shadows()).toEqual([]);
    });

    it('resolves a key staged twice (in one commit, in two, again after a crash) once, at publish: the later version', async () => {
      await put([[{ id: 'a', n: 1, at }]]);
      await dest.beginSnapshot(schema, 'full-1');
      await put(
        [
          [
            { id: 'a', n: 10, at },
            { id: 'a', n: 11, at },
            { id: 'b', n: 10, at },
          ],
          [{ id: 'b', n: 11, at }],
        ],
        'full-1',
      );
      await put([[{ id: 'c', n: 10, at: '2024-03-02T10:00:00Z' }]], 'full-1');
      await crash();
      await dest.beginSnapshot(schema, 'full-1');
      // A window fetched again after the crash brings its keys a second time, one of them changed.
      await put([[{ id: 'c', n: 12, at: '2024-03-02T10:00:00Z' }]], 'full-1');
      await put([[{ id: 'a', n: 12, at, tags: ['last'] }]], 'full-1');
      expect(await stored.rows('id, n')).toEqual([{ id: 'a', n: '1' }]);
      const { rows } = await dest.publishSnapshot(schema, 'full-1');
      expect(rows).toBe(3);
      expect(await stored.rows('id, n, tags')).toEqual([
        { id: 'a', n: '12', tags: ['last'] },
        { id: 'b', n: '11', tags: [] },
        { id: 'c', n: '12', tags: [] },
      ]);
    });

    it("tells whether the live table has rows, per account; one account's publish keeps the others' rows", async () => {
      const accounts = {
        ...schema,
        accountColumn: 'acct',
        columns: [
          ...schema.columns,
          { name: 'acct', type: 'utf8' as const, origin: 'meta' as const, description: 'Account' },
        ],
      };
      let n = 0;
      const stageFor = async (account: string, rows: Ev[]) => {
        const stager = new Stager(path.join(tmp, 'accounts', String(++n)));
        const batch = eventsBatch(rows);
        const columns = Object.fromEntries(batch.schema.fields.map((f) => [f.name, batch.getChild(f.name)]));
        const acct = arrow.vectorFromArray(
          rows.map(() => account),
          new arrow.Utf8(),
        );
        await stager.write(new arrow.Table({ ...columns, acct }));
        return stager.files;
      };
      const commitFor = async (account: string, rows: Ev[], snapshot?: string) =>
        dest.commit({ schema: accounts, snapshot, files: await stageFor(account, rows), rejects: [] });
      await dest.ensureTable(accounts);
      expect(await dest.hasRows(accounts, 'x')).toBe(false);
      expect(await dest.hasRows(accounts)).toBe(false);
      await commitFor('x', [{ id: 'a', n: 1, at }]);
      expect(await dest.hasRows(accounts, 'x')).toBe(true);
      expect(await dest.hasRows(accounts, 'y')).toBe(false);
      expect(await dest.hasRows(accounts)).toBe(true);

      // Only x's rows in the table: x's snapshot takes its place.
      await dest.beginSnapshot(accounts, 'x__1');
      await commitFor('x', [{ id: 'b', n: 1, at }], 'x__1');
      await commitFor('x', [{ id: 'b', n: 2, at }], 'x__1');
      expect(await dest.publishSnapshot(accounts, 'x__1', undefined, 'x')).toEqual({ rows: 1 });
      expect(await stored.rows('acct, id, n')).toEqual([{ acct: 'x', id: 'b', n: '2' }]);

      // With y's rows there too, x's snapshot replaces x's rows only.
      await commitFor('y', [{ id: 'b', n: 7, at }]);
      await dest.beginSnapshot(accounts, 'x__2');
      await commitFor('x', [{ id: 'c', n: 1, at }], 'x__2');
      expect(await dest.publishSnapshot(accounts, 'x__2', undefined, 'x')).toEqual({ rows: 1 });
      expect(await stored.rows('acct, id, n')).toEqual([
        { acct: 'y', id: 'b', n: '7' },
        { acct: 'x', id: 'c', n: '1' },
      ]);
      expect(await stored.shadows()).toEqual([]);
    });

    it('refuses to commit into or publish a snapshot that was not begun', async () => {
      const says = stored.notBegun('nope');
      await expect(dest.commit({ schema, snapshot: 'nope', files: [], rejects: [] })).rejects.toThrow(
        says.commit,
      );
      await expect(dest.publishSnapshot(schema, 'nope')).rejects.toThrow(says.publish);
    });
  });
});
