import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Task, TaskResult, WorkerReply } from './tasks/types.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.js');

export interface ChildResult extends TaskResult {
  /** Wall time of the whole child process, from fork to exit (it exits as soon as it has replied). */
  readonly processMs: number;
}

/** Runs one task in a fresh child process; its stdout goes to our stderr so our stdout stays machine-readable. */
export function runInChild(task: Task, execArgv: readonly string[] = []): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = fork(WORKER, [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], execArgv: [...execArgv] });
    child.stdout?.pipe(process.stderr, { end: false });
    let reply: WorkerReply | undefined;
    child.once('message', (m: WorkerReply) => {
      reply = m;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const processMs = performance.now() - started;
      if (!reply)
        reject(new Error(`${task.kind}: worker exited (code ${code}, signal ${signal}) without a result`));
      else if (reply.ok) resolve({ ...reply.result, processMs });
      else reject(new Error(`${task.kind}: ${reply.error}`));
    });
    child.send(task);
  });
}
