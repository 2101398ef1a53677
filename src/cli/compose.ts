import type { PipelineConfig } from '../config/schema.js';
import type { Connector } from '../connector/connector.js';
import { createDestination } from '../load/index.js';
import type { RunOptions } from '../pipeline/run.js';
import { type SourceOptions, sourceOptionsFor } from './source-options.js';

/**
 * What a run of `config` needs, composed from the connector and the config (the CLI, tests and bench share it).
 * `baseDir` is the pipeline file's directory: relative paths in the config resolve against it. With `source`,
 * the source side composed already (its streams are the ones to run).
 */
export function runOptionsFor<P extends PipelineConfig>(
  connector: Connector<P>,
  config: P,
  baseDir: string,
  source: SourceOptions = sourceOptionsFor(connector, config, baseDir),
): RunOptions {
  return { ...source, destination: createDestination(config.destination, baseDir) };
}
