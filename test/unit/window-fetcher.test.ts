import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseStreamSchema } from '../../src/config/schema.js';
import type { ExtractChunk, Stream, StreamReject, WindowContext } from '../../src/connector/stream.js';
import { DataError, SyncError } from '../../src/errors.js';
import { RequestBudget } from '../../src/http/budget.js';
import { HttpClient } from '../../src/http/client.js';
import { NetworkError } from '../../src/http/errors.js';
import { DECODE_WORKER } from '../../src/pipeline/decode.js';
import { WindowError } from '../../src/pipeline/errors.js';
import type { RunEvent } from '../../src/pipeline/events.js';
import { WindowFetcher } from '../../src/pipeline/window-fetcher.js';
import { WorkerPool } from '../../src/workers/pool.js';
import { tempDir } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { type Ev, eventsBatch, eventsSchema } from '../helpers/load-events.js';
import type { TestDecodePayload } from '../helpers/test-decode.js';

const TEST_DECODER = new URL('../helpers/test-decode.ts', import.meta.url);
const pool = new WorkerPool(DECODE_WORKER, 1);
afterAll(() => pool.close());

const ev = (id: string): Ev => ({ id, n: 1, at: '2026-03-01T10:00:00Z' });
const chunk = (ids: string[], rejects: StreamReject[] = [], total?: number): ExtractChunk => ({
  batch: eventsBatch(ids.map(ev)).batches[0],
  rejects,
  received: ids.length + rejects.length,
  total,
});
const bad = (raw: string): StreamReject => ({ source: 'GET /x', line: null, raw, reason: 'wrong' });

/** A stream whose window extracts are given by `extract(ctx, attempt)`. */
function stream(
  extract: (ctx: WindowContext, attempt: number) => AsyncIterable<ExtractChunk>,
  settings: Partial<Stream['settings']> = {},
): Stream {
  let attempt = 0;
  return {
    name: 'events',
    table: eventsSchema,
    settings: { ...baseStreamSchema.parse({}), ...settings },
    probe: async () => ({ serverDate: new Date() }),
    extract: (ctx) => extract(ctx, ++attempt),
  };
}

function fetcher(s: Stream, opts: { strict?: boolean; events?: RunEvent[] } = {}) {
  const http = new HttpClient({
    baseUrl: 'http://127.0.0.1:9',
    timeoutMs: 1000,
    retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    budget: new RequestBudget({ concurrency: 1, requestsPerSecond: 1000 }),
  });
  const dir = tempDir('cs-fetcher-');
  const f = new WindowFetcher({
    stream: s,
    ctx: { http, account: 'default', runId: 'run1', syncedAtMs: 0, signal: new AbortController().signal },
    decodePool: () => pool,
    stagingDir: dir,
    strict: opts.strict ?? false,
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 },
    emit: (e) => opts.events?.push(e),
  });
  return { f, dir };
}

const ids = async (files: readonly string[]) =>
  (
    await query<{ id: string }>(
      ':memory:',
      `SELECT id FROM read_parquet([${files.map((f) => `'${f}'`).join(', ')}], file_row_number = true) ORDER BY filename, file_row_number`,
    )
  ).map((r) => r.id);
const W = { key: '2026-03-01..2026-03-08', startDate: '2026-03-01', endDate: '2026-03-08' };

describe('WindowFetcher', () => {
  it('stages every chunk in fetch order and reports what the window brought', async () => {
    const { f } = fetcher(
      stream(
        async function* () {
          yield chunk(['a', 'b'], [], 5);
          yield chunk(['c'], [bad('x')]);
        },
        { max_rejected: 1 },
      ),
    );
    const staged = await f.fetch(W, 0);
    expect(await ids(staged.stager.files)).toEqual(['a', 'b', 'c']);
    expect(staged.result).toEqual({
      rows: 3,
      received: 4,
      rejected: 1,
      total: 5,
      counters: {},
      warnings: [],
      samples: {},
    });
    expect(staged.rejects).toEqual([{ ...bad('x'), stream: 'events', run_id: 'run1', account: 'default' }]);
    await staged.stager.cleanup();
  });

  it('sums counters, keeps each warning once and a few samples per counter', async () => {
    const { f } = fetcher(
      stream(async function* (): AsyncGenerator<ExtractChunk> {
        const ids = Array.from({ length: 12 }, (_, i) => `x${i}`);
        yield {
          ...chunk(['a']),
          counters: { not_found: 4 },
          warnings: ['odd'],
          samples: { not_found: ids.slice(0, 4) },
        };
        yield {
          ...chunk(['b']),
          counters: { not_found: 8, filled: 1 },
          warnings: ['odd', 'new'],
          samples: { not_found: ids.slice(4) },
        };
      }),
    );
    const staged = await f.fetch(W, 0);
    expect(staged.result.counters).toEqual({ not_found: 12, filled: 1 });
    expect(staged.result.warnings).toEqual(['odd', 'new']);
    expect(staged.result.samples).toEqual({ not_found: Array.from({ length: 10 }, (_, i) => `x${i}`) });
    await staged.stager.cleanup();
  });

  it('stages rows decoded on a worker thread in the order decode was called, heads first', async () => {
    const heads: string[] = [];
    const { f } = fetcher(
      stream(async function* (ctx) {
        const one = ctx.decode<TestDecodePayload, string>(TEST_DECODER, { events: [ev('p1')], head: 'h1' });
        const two = ctx.decode<TestDecodePayload, string>(TEST_DECODER, {
          events: [ev('p2'), ev('p3')],
          head: 'h2',
        });
        heads.push(await one.head, await two.head);
        const [c2, c1] = [await two.chunk, await one.chunk];
        yield c1;
        yield c2;
      }),
    );
    const staged = await f.fetch(W, 0);
    expect(heads).toEqual(['h1', 'h2']);
    expect(await ids(staged.stager.files)).toEqual(['p1', 'p2', 'p3']);
    expect(staged.result.received).toBe(3);
    await staged.stager.cleanup();
  });

  it('rows a decoder hands back come back in the chunk, and are staged where the stream yields them', async () => {
    const { f } = fetcher(
      stream(async function* (ctx) {
        const back = ctx.decode<TestDecodePayload, string>(TEST_DECODER, {
          events: [ev('b1'), ev('b2')],
          handBack: true,
        });
        const staged = ctx.decode<TestDecodePayload, string>(TEST_DECODER, { events: [ev('s1')] });
        const handed = await back.chunk;
        expect(handed.batch?.numRows).toBe(2);
        expect(handed.batch?.getChild('id')?.toArray()).toEqual(['b1', 'b2']);
        yield await staged.chunk;
        yield handed;
      }),
    );
    const staged = await f.fetch(W, 0);
    expect(await ids(staged.stager.files)).toEqual(['s1', 'b1', 'b2']);
    expect(staged.result.received).toBe(3);
    await staged.stager.cleanup();
  });

  it('a decode error comes back as its class, and fails the window naming it', async () => {
    const { f } = fetcher(
      stream(async function* (ctx) {
        yield await ctx.decode<TestDecodePayload, string>(TEST_DECODER, {
          fail: 'data.calls is not an array',
        }).chunk;
      }),
    );
    const err = await f.fetch(W, 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WindowError);
    expect(err).toMatchObject({ code: 'CS_DATA', window: W.key, stream: 'events' });
    expect((err as Error).cause).toBeInstanceOf(DataError);
    expect((err as Error).message).toBe(`events window ${W.key}: data.calls is not an array`);
  });

  it('starts a window over after a retryable failure mid-stream, without keeping the first attempt', async () => {
    const events: RunEvent[] = [];
    const { f, dir } = fetcher(
      stream(async function* (_ctx, attempt) {
        yield chunk(['a']);
        if (attempt === 1) throw new NetworkError('GET /x', 'connection reset by the server (ECONNRESET)');
        yield chunk(['b']);
      }),
      { events },
    );
    const staged = await f.fetch(W, 7);
    expect(await ids(staged.stager.files)).toEqual(['a', 'b']);
    expect(staged.stager.dir).toBe(path.join(dir, 'events-7-2'));
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(1);
    await staged.stager.cleanup();
  });

  it('does not retry a window that failed for good, and names the window once when the error already does', async () => {
    let attempts = 0;
    const { f } = fetcher(
      stream(async function* () {
        attempts++;
        yield chunk(['a']);
        throw new DataError(`GET /x window ${W.key} page 2: bad envelope`, { context: { window: W.key } });
      }),
    );
    const err = await f.fetch(W, 0).catch((e: unknown) => e);
    expect(attempts).toBe(1);
    expect(err).toBeInstanceOf(SyncError);
    expect((err as Error).message).toBe(`GET /x window ${W.key} page 2: bad envelope`);
    expect(err).toMatchObject({ window: W.key, code: 'CS_DATA' });
  });

  it('fails a window over max_rejected before anything of it can be committed (fraction and count)', async () => {
    const rejects = [bad('1'), bad('2')];
    const fraction = fetcher(
      stream(
        async function* () {
          yield chunk(['a', 'b'], rejects);
        },
        { max_rejected: 0.25 },
      ),
    );
    await expect(fraction.f.fetch(W, 0)).rejects.toThrow(
      /2 of 4 records rejected in window .*, over max_rejected \(25% of records\)/,
    );
    const count = fetcher(
      stream(
        async function* () {
          yield chunk(['a'], [bad('1')]);
        },
        { max_rejected: 1 },
      ),
    );
    await count.f.fetch(W, 0);
    await expect(count.f.fetch({ ...W, key: 'w2' }, 1)).rejects.toThrow(
      /^1 of 2 records rejected in window w2, over max_rejected \(1 records\)/,
    );
  });

  it('with --strict, fails a window whose records differ from the API total', async () => {
    const { f } = fetcher(
      stream(async function* () {
        yield chunk(['a'], [], 2);
      }),
      { strict: true },
    );
    await expect(f.fetch(W, 0)).rejects.toThrow(
      /reconciliation failed \(--strict\): the API reported 2 records, 1 were received/,
    );
  });
});
