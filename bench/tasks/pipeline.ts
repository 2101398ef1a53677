import { callscaler } from '../../connectors/callscaler/index.js';
import { runOptionsFor } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/config/load.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { peakRssMb, rssMb, type Task, type TaskResult } from './types.js';

/**
 * Ours, pipeline only: one `run` of the pipeline, in process, as the CLI's run command does it (minus the
 * display), timed from the start of runPipeline to its end. The parent counts what landed.
 */
export async function pipelineRun(task: Extract<Task, { kind: 'pipeline' }>): Promise<TaskResult> {
  const env = { CALLSCALER_BASE_URL: task.endpoint.baseUrl, CALLSCALER_API_KEY: task.endpoint.apiKey };
  const config = parseConfig(task.yaml, 'bench pipeline.yaml', callscaler.pipelineSchema, env);
  const baseRssMb = rssMb();
  const started = performance.now();
  const summary = await runPipeline(runOptionsFor(callscaler, config, process.cwd()));
  const ms = performance.now() - started;
  const maxRssMb = peakRssMb();
  const stream = summary.streams[0];
  return {
    ms,
    rows: stream?.rows ?? 0,
    maxRssMb,
    baseRssMb,
    output: task.destination,
    detail: { requests: summary.requests, windows: stream?.windows ?? 0 },
  };
}
