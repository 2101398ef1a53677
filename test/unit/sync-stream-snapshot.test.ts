// A first backfill loads into a snapshot published at its end; a backfill into rows already there merges
// each window as before. Run through syncStream with a stream whose windows are given here, against each real
// destination, read back as a user would.
import { afterAll, describe, expect, it } from 'vitest';
import { baseStreamSchema } from '../../src/config/schema.js';
import type { ExtractChunk, Stream, Window } from '../../src/connector/stream.js';
import { DataError } from '../../src/errors.js';
import { RequestBudget } from '../../src/http/budget.js';
import { HttpClient } from '../../src/http/client.js';
import type { Destination } from '../../src/load/index.js';
import { DECODE_WORKER } from '../../src/pipeline/decode.js';
import { syncStream } from '../../src/pipeline/sync-stream.js';
import { WorkerPool } from '../../src/workers/pool.js';
import { tempDir } from '../helpers/cli.js';
import { duckdbKind, parquetKind, type StoredDestination } from '../helpers/destination-kinds.js';
import {
  destinationPerTest,
  type Ev,
  eventStager,
  eventsBatch,
  eventsSchema,
} from '../helpers/load-events.js';

const key = { pipeline: 'p', stream: 'events', account: 'acct' };
const pool = new WorkerPool(DECODE_WORKER, 1);
afterAll(() => pool.close());
const W1 = '2026-03-01..2026-03-08';
const W2 = '2026-03-08..2026-03-15';
const ev = (id: string, n: number, day: string): Ev => ({ id, n, at: `${day}T10:00:00Z` });

/**
 * Two weekly windows. `a` comes in both (a record the API returned again in a later window): the version
 * fetched last, in W2, is the one to keep. `fail` makes W2's extract fail before it yields anything.
 */
function twoWindows(opts: { fail?: boolean; fetched?: string[] } = {}): Stream {
  const rows: Record<string, Ev[]> = {
    [W1]: [ev('a', 1, '2026-03-01'), ev('b', 1, '2026-03-02')],
    [W2]: [ev('c', 1, '2026-03-09'), ev('a', 2, '2026-03-01')],
  };
  return {
    name: 'events',
    table: eventsSchema,
    settings: baseStreamSchema.parse({ start_date: '2026-03-01', end_date: '2026-03-15', window_days: 7 }),
    probe: async () => ({ serverDate: new Date('2026-03-20T00:00:00Z') }),
    extract: (_ctx, w: Window) =>
      (async function* (): AsyncGenerator<ExtractChunk> {
        opts.fetched?.push(w.key);
        if (opts.fail && w.key === W2) throw new DataError('W2 cannot be read');
        const batch = eventsBatch(rows[w.key]).batches[0];
        yield { batch, rejects: [], received: rows[w.key].length };
      })(),
  };
}

function run(dest: Destination, stream: Stream, dir: string) {
  const budget = new RequestBudget({ concurrency: 1, requestsPerSecond: 1000 });
  const http = new HttpClient({
    baseUrl: 'http://127.0.0.1:9',
    timeoutMs: 1000,
    retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    budget,
  });
  return syncStream({
    stream,
    key,
    ctx: {
      http,
      account: 'acct',
      runId: `run${Date.now()}`,
      syncedAtMs: 0,
      signal: new AbortController().signal,
    },
    destination: dest,
    decodePool: () => pool,
    stagingDir: dir,
    // One window at a time, so "fetched last" is W2.
    concurrency: 1,
    strict: false,
    retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    emit: () => {},
  });
}

describe.each([duckdbKind, parquetKind])('a backfill through syncStream: $name', (kind) => {
  let tmp: string;
  let stored: StoredDestination;
  let dest: Destination;
  destinationPerTest(`backfill-${kind.name}-`, (dir) => {
    tmp = dir;
    stored = kind.make(dir);
    dest = stored.dest;
    return dest;
  });
  const passOf = async () => (await stored.state(key))?.pass as { snapshot?: boolean; done: string[] } | null;

  it('into a table with no rows: a snapshot, published at the end; a key of two windows is one row, the later', async () => {
    expect(await dest.hasRows(eventsSchema, 'acct')).toBe(false);
    const summary = await run(dest, twoWindows(), tempDir('cs-backfill-'));
    expect(summary.mode).toBe('backfill');
    expect(await stored.rows('id, n')).toEqual([
      { id: 'a', n: '2' },
      { id: 'b', n: '1' },
      { id: 'c', n: '1' },
    ]);
    expect(await stored.shadows()).toEqual([]);
    expect(await stored.state(key)).toMatchObject({ pass: null, watermark: '2026-03-20T00:00:00.000Z' });
    expect(await dest.hasRows(eventsSchema, 'acct')).toBe(true);
  });

  it('stopped between its commits and the publish: the live table untouched; the re-run skips the committed window and ends exact', async () => {
    const failed = await run(dest, twoWindows({ fail: true }), tempDir('cs-backfill-')).catch((e) => e);
    expect(failed).toBeInstanceOf(Error);
    expect(await passOf()).toMatchObject({ snapshot: true, done: [W1] });
    // W1 is committed, into the snapshot: readers still see the table as it was, empty.
    expect(await stored.rows('id')).toEqual([]);
    expect((await stored.shadows()).length).toBe(1);

    const fetched: string[] = [];
    await run(dest, twoWindows({ fetched }), tempDir('cs-backfill-'));
    expect(fetched).toEqual([W2]);
    expect(await stored.rows('id, n')).toEqual([
      { id: 'a', n: '2' },
      { id: 'b', n: '1' },
      { id: 'c', n: '1' },
    ]);
    expect(await stored.shadows()).toEqual([]);
  });

  it('into rows already there: each window merges into the live table as it commits', async () => {
    const stage = eventStager(() => tmp);
    await dest.commit({ schema: eventsSchema, files: await stage([ev('z', 9, '2026-02-01')]), rejects: [] });
    const failed = await run(dest, twoWindows({ fail: true }), tempDir('cs-backfill-')).catch((e) => e);
    expect(failed).toBeInstanceOf(Error);
    expect(await passOf()).toMatchObject({ snapshot: false, done: [W1] });
    expect(await stored.rows('id, n')).toEqual([
      { id: 'a', n: '1' },
      { id: 'b', n: '1' },
      { id: 'z', n: '9' },
    ]);
    await run(dest, twoWindows(), tempDir('cs-backfill-'));
    expect(await stored.rows('id, n')).toEqual([
      { id: 'a', n: '2' },
      { id: 'b', n: '1' },
      { id: 'c', n: '1' },
      { id: 'z', n: '9' },
    ]);
    expect(await stored.shadows()).toEqual([]);
  });
});
