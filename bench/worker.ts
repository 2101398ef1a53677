/**
 * Child-process entry of the benchmark: receives one Task over IPC, runs it, replies with its TaskResult
 * and exits. Everything measured runs here, never in the orchestrating process.
 */
import type { Task, TaskResult, WorkerReply } from './tasks/types.js';

/**
 * Each task loads only its own modules: a limit's process pays for DuckDB and undici, not for the pipeline, so
 * its spawn-to-exit time is a fair "whole process" figure too.
 */
async function run(task: Task): Promise<TaskResult> {
  switch (task.kind) {
    case 'pipeline':
      return (await import('./tasks/pipeline.js')).pipelineRun(task);
    case 'raw-list':
      return (await import('./tasks/raw-list.js')).rawList(task);
    case 'raw-export':
      return (await import('./tasks/raw-export.js')).rawExport(task);
    case 'load-path':
      return (await import('./tasks/load-path.js')).loadPath(task);
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
