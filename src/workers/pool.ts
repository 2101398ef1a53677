import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SyncError } from '../errors.js';
import { reviveError } from './errors.js';
import type { TaskMessage, TaskReply } from './protocol.js';

/** A task in flight: `part` settles with its first part (or its failure), `result` with its end. */
export interface TaskRun<R> {
  readonly part: Promise<unknown>;
  readonly result: Promise<R>;
}

interface Task {
  readonly id: number;
  readonly payload: unknown;
  readonly transfer: readonly ArrayBuffer[];
  readonly onPart: (value: unknown) => void;
  readonly onDone: (value: unknown) => void;
  readonly onError: (err: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  task: Task | undefined;
}

/**
 * Threads for CPU-bound decoding: one core is left to the main thread (HTTP, the loader) and DuckDB, at least
 * one thread, at most 4. Measured on 2 cores: 1 thread was ~7% faster than decoding on the main thread, 2 were
 * no faster than 1 and cost 100 MB more.
 */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

/**
 * How threads start when their modules are not plain JavaScript (tests run TypeScript sources): a bootstrap
 * module that receives `workerData.entry` (the module's URL) and loads it. Unset, a thread runs its module
 * directly, as built code does.
 */
let bootstrap: URL | undefined;

export function setWorkerBootstrap(url: URL | undefined): void {
  bootstrap = url;
}

/**
 * A fixed set of worker threads that run one module's task handler (see `serveTasks`), one task per thread at
 * a time, queued in order. Threads start on first use and are unref'd while idle, so an idle pool never keeps
 * the process alive. A thread that dies fails its task with a clear error and is replaced on the next task.
 *
 * `workerData` goes to every thread (e.g. modules it should load before its first task).
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;

  constructor(
    private readonly module: URL,
    readonly size: number = defaultPoolSize(),
    private readonly workerData: Record<string, unknown> = {},
  ) {}

  run<R>(payload: unknown, transfer: readonly ArrayBuffer[] = []): TaskRun<R> {
    // A settled promise ignores later calls: the first part wins, and a task that ends without one gives
    // `undefined` as its part.
    let partDone!: (v: unknown) => void;
    let partFailed!: (e: Error) => void;
    const part = new Promise<unknown>((resolve, reject) => {
      partDone = resolve;
      partFailed = reject;
    });
    const result = new Promise<R>((resolve, reject) => {
      this.queue.push({
        id: this.nextId++,
        payload,
        transfer,
        onPart: partDone,
        onDone: (v) => {
          partDone(undefined);
          resolve(v as R);
        },
        onError: (err) => {
          partFailed(err);
          reject(err);
        },
      });
    });
    // Either may go unawaited when the other already failed: not an unhandled rejection.
    part.catch(() => undefined);
    result.catch(() => undefined);
    this.dispatch();
    return { part, result };
  }

  /** Starts every thread now (they load their module while the caller does other work, e.g. a probe). */
  warm(): void {
    while (this.slots.length < this.size) this.spawn();
  }

  /** Stops every thread (tests; the process exits fine without it). */
  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    for (const task of this.queue.splice(0)) task.onError(new SyncError('CS_WORKER', 'worker pool closed'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.task === undefined);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.ref();
      const msg: TaskMessage = { id: task.id, payload: task.payload };
      try {
        slot.worker.postMessage(msg, [...task.transfer]);
      } catch (err) {
        slot.task = undefined;
        task.onError(new SyncError('CS_WORKER', `cannot post a task to a worker: ${(err as Error).message}`));
      }
    }
  }

  private spawn(): Slot {
    const file = fileURLToPath(this.module);
    const workerData = { ...this.workerData, entry: this.module.href };
    const worker = new Worker(bootstrap ?? this.module, { workerData });
    const slot: Slot = { worker, task: undefined };
    worker.on('message', (r: TaskReply) => {
      const task = slot.task;
      if (!task || task.id !== r.id) return;
      if (r.kind === 'part') return task.onPart(r.value);
      slot.task = undefined;
      worker.unref();
      if (r.kind === 'done') task.onDone(r.value);
      else task.onError(reviveError(r.error));
      this.dispatch();
    });
    const lost = (why: string) => {
      const i = this.slots.indexOf(slot);
      if (i === -1) return;
      this.slots.splice(i, 1);
      const task = slot.task;
      slot.task = undefined;
      task?.onError(new SyncError('CS_WORKER', `worker thread (${file}) ${why}`));
      this.dispatch();
    };
    worker.on('error', (err) => lost(`failed: ${err.message}`));
    worker.on('exit', (code) => lost(`exited with code ${code}`));
    // After the listeners: adding a 'message' listener refs the worker again.
    worker.unref();
    this.slots.push(slot);
    return slot;
  }
}

const shared = new Map<string, WorkerPool>();

/**
 * One pool per task module for the whole process: threads are started once and reused by every run. The first
 * caller's size and workerData decide.
 */
export function sharedPool(module: URL, size?: number, workerData?: Record<string, unknown>): WorkerPool {
  let pool = shared.get(module.href);
  if (!pool) {
    pool = new WorkerPool(module, size, workerData);
    shared.set(module.href, pool);
  }
  return pool;
}
