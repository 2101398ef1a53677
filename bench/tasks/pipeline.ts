import { callscaler } from '../../connectors/callscaler/index.js';
import { runOptionsFor } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/config/load.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { checkRows, countCalls } from './count.js';
import { peakRssMb, rssMb, type Task, type TaskResult } from './types.js';

/** Ours: one `run` of the pipeline, in process, exactly as the CLI's run command does it (minus the display). */
export async function pipelineRun(task: Extract<Task, { kind: 'pipeline' }>): Promise<TaskResult> {
  const env = { CALLSCALER_BASE_URL: task.endpoint.baseUrl, CALLSCALER_API_KEY: task.endpoint.apiKey };
  const config = parseConfig(task.yaml, 'bench pipeline.yaml', callscaler.pipelineSchema, env);
  const baseRssMb = rssMb();
  const started = performance.now();
  const summary = await runPipeline(runOptionsFor(callscaler, config, process.cwd()));
  const ms = performance.now() - started;
  const maxRssMb = peakRssMb();

  const loaded = await countCalls(task.destination, task.extract);
  checkRows(`pipeline (${task.extract} into ${task.destination.type})`, loaded.rows, task.expectRows);
  if (loaded.matching !== loaded.rows) {
    throw new Error(
      `extract: ${task.extract} was configured but ${loaded.rows - loaded.matching} of ${loaded.rows} rows have another _extract (is the ${task.extract} path wired in connectors/callscaler/index.ts?)`,
    );
  }
  const stream = summary.streams[0];
  return {
    ms,
    rows: loaded.rows,
    maxRssMb,
    baseRssMb,
    detail: { requests: summary.requests, windows: stream?.windows ?? 0 },
  };
}
