/**
 * Child-process entry of the benchmark: receives one Task over IPC, runs it, replies with its TaskResult
 * and exits. Everything measured runs here, never in the orchestrating process.
 */
import { loadPath } from './tasks/load-path.js';
import { pipelineRun } from './tasks/pipeline.js';
import { rawExport } from './tasks/raw-export.js';
import { rawList } from './tasks/raw-list.js';
import type { Task, TaskResult, WorkerReply } from './tasks/types.js';

function run(task: Task): Promise<TaskResult> {
  switch (task.kind) {
    case 'pipeline':
      return pipelineRun(task);
    case 'raw-list':
      return rawList(task);
    case 'raw-export':
      return rawExport(task);
    case 'load-path':
      return loadPath(task);
  }
}

function reply(message: WorkerReply): void {
  if (!process.send) {
    process.stderr.write('bench worker: start me with child_process.fork()\n');
    process.exit(2);
  }
  process.send(message, () => process.exit(message.ok ? 0 : 1));
}

process.once('message', (task: Task) => {
  run(task).then(
    (result) => reply({ ok: true, result }),
    (err: unknown) => {
      const text = err instanceof Error ? (process.env.CALLSCALER_DEBUG ? err.stack : err.message) : err;
      reply({ ok: false, error: String(text) });
    },
  );
});
