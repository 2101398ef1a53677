import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Task, TaskResult, WorkerReply } from './tasks/types.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.js');

/** Runs one task in a fresh child process; its stdout goes to our stderr so our stdout stays machine-readable. */
export function runInChild(task: Task, execArgv: readonly string[] = []): Promise<TaskResult> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], execArgv: [...execArgv] });
    child.stdout?.pipe(process.stderr, { end: false });
    let answered = false;
    child.once('message', (m: WorkerReply) => {
      answered = true;
      if (m.ok) resolve(m.result);
      else reject(new Error(`${task.kind}: ${m.error}`));
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!answered)
        reject(new Error(`${task.kind}: worker exited (code ${code}, signal ${signal}) without a result`));
    });
    child.send(task);
  });
}
