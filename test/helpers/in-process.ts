import { callscalerPipelineSchema } from '../../connectors/callscaler/config.js';
import { callscaler } from '../../connectors/callscaler/index.js';
import { parseConfig } from '../../src/config/load.js';
import { type EngineConfig, type RunOptions, runPipeline } from '../../src/pipeline/run.js';
import type { RunSummary } from '../../src/pipeline/summary.js';

/** Runs a pipeline.yaml text in this process (for tests that inject a clock or count events). */
export function runYaml(
  yaml: string,
  env: Record<string, string>,
  opts: Omit<RunOptions, 'config' | 'connector'> = {},
): Promise<RunSummary> {
  const config = parseConfig(yaml, 'test.yaml', callscalerPipelineSchema, env) as unknown as EngineConfig;
  return runPipeline({ config, connector: callscaler, ...opts });
}
