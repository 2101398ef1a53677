import type { PipelineConfig } from '../config/schema.js';
import type { Connector } from '../connector/connector.js';
import { createDestination } from '../load/index.js';
import type { RunOptions } from '../pipeline/run.js';

/** What a run of `config` needs, composed from the connector and the config (the CLI, tests and bench share it). */
export function runOptionsFor<P extends PipelineConfig>(connector: Connector<P>, config: P): RunOptions {
  return {
    pipeline: config.name,
    source: config.source,
    auth: { headers: connector.authHeaders(config.source), hint: connector.authHint },
    streams: connector.streams(config),
    destination: createDestination(config.destination),
  };
}
