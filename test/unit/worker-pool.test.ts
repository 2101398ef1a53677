import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workersFromEnv } from '../../src/cli/workers.js';
import { ConfigError, DataError, SyncError } from '../../src/errors.js';
import { BodyFormatError } from '../../src/http/errors.js';
import { defaultPoolSize, WorkerPool } from '../../src/workers/pool.js';
import { tempDir } from '../helpers/cli.js';
import type { TestTask } from '../helpers/test-worker.js';

const MODULE = new URL('../helpers/test-worker.ts', import.meta.url);
const BOOT = new URL('../setup/ts-worker-boot.mjs', import.meta.url);

describe('WorkerPool', () => {
  const pool = new WorkerPool(MODULE, 2);
  afterAll(() => pool.close());
  const run = <R>(t: TestTask, transfer: ArrayBuffer[] = []) => pool.run<R>(t, transfer);

  it('runs a task on a thread, transferring its buffers instead of copying them', async () => {
    const bytes = new Uint8Array([1, 2, 3, 250]);
    const task = run<number>({ op: 'sum', bytes }, [bytes.buffer]);
    // Transferred: the sender's view is detached.
    expect(bytes.byteLength).toBe(0);
    expect(await task.result).toBe(256);
    expect(await task.part).toBeUndefined();
  });

  it('hands over a part before the result', async () => {
    const task = run<number>({ op: 'part-then-double', n: 21 });
    expect(await task.part).toEqual({ first: 21 });
    expect(await task.result).toBe(42);
  });

  it('queues tasks beyond its size and runs them on at most `size` threads', async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, () => run<number>({ op: 'thread-id' }).result));
    expect(ids).toHaveLength(8);
    expect(new Set(ids).size).toBeLessThanOrEqual(2);
  });

  it('gives errors back as their class, with message, code, context and own fields', async () => {
    const data = await run({ op: 'data-error' }).result.catch((e: unknown) => e);
    expect(data).toBeInstanceOf(DataError);
    expect(data).toMatchObject({
      code: 'CS_DATA',
      message: 'GET /calls window w page 2: data.calls is not an array',
      context: { page: 2 },
    });
    const body = run({ op: 'body-error' });
    const err = await body.result.catch((e: unknown) => e);
    // A task that fails before its part fails the part too.
    await expect(body.part).rejects.toBe(err);
    expect(err).toBeInstanceOf(BodyFormatError);
    expect(err).toBeInstanceOf(SyncError);
    expect(err).toMatchObject({
      code: 'CS_HTTP_BODY',
      endpoint: 'GET /calls',
      byteOffset: 7,
      preview: '{"a',
    });
    expect((err as Error).message).toBe(
      'GET /calls: invalid JSON at byte 7 (9 bytes): Unexpected end; body starts: "{\\"a"',
    );
  });

  it("gives a subclass of a known error class (a connector's own) back as that class, with its name and fields", async () => {
    const err = await run({ op: 'subclass-error' }).result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    expect(err).toMatchObject({
      name: 'CutOff',
      code: 'CS_CUT_OFF',
      message: 'line 12: cut off',
      line: 12,
      context: { line: 12 },
    });
  });

  it('fails the task of a thread that dies, and runs the next task on a new thread', async () => {
    const err = await run({ op: 'die' }).result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    expect(err).toMatchObject({ code: 'CS_WORKER' });
    expect((err as Error).message).toMatch(/worker thread \(.*test-worker\.ts\) exited with code 7/);
    expect(await run<number>({ op: 'part-then-double', n: 5 }).result).toBe(10);
  });
});

describe('defaultPoolSize', () => {
  it('leaves a core to the main thread, at least 1 and at most 4 threads', () => {
    const n = defaultPoolSize();
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(4);
    expect(n).toBe(Math.max(1, Math.min(4, os.availableParallelism() - 1)));
  });
});

describe('workersFromEnv (the CLI)', () => {
  it('reads CALLSCALER_WORKERS, empty or unset leaving the default, and refuses anything but 1 to 64', () => {
    expect(workersFromEnv({ CALLSCALER_WORKERS: '3' })).toBe(3);
    expect(workersFromEnv({ CALLSCALER_WORKERS: '' })).toBeUndefined();
    expect(workersFromEnv({})).toBeUndefined();
    for (const bad of ['0', '-1', '1.5', 'two', '65']) {
      expect(() => workersFromEnv({ CALLSCALER_WORKERS: bad })).toThrow(ConfigError);
      expect(() => workersFromEnv({ CALLSCALER_WORKERS: bad })).toThrow(/CALLSCALER_WORKERS must be/);
    }
  });
});

describe('an idle pool', () => {
  it('does not keep the process alive, warmed or after a task', () => {
    const script = path.join(tempDir(), 'idle.mts');
    const pool = new URL('../../src/workers/pool.ts', import.meta.url).href;
    writeFileSync(
      script,
      `import { setWorkerBootstrap, WorkerPool } from ${JSON.stringify(pool)};
setWorkerBootstrap(new URL(${JSON.stringify(BOOT.href)}));
const p = new WorkerPool(new URL(${JSON.stringify(MODULE.href)}), 2);
p.warm();
console.log(await p.run({ op: 'part-then-double', n: 2 }).result);
`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('4');
    expect(r.status).toBe(0);
  });
});
