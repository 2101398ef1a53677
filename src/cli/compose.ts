import { accountsOf, type PipelineConfig } from '../config/schema.js';
import type { Connector } from '../connector/connector.js';
import { createDestination } from '../load/index.js';
import type { RunOptions } from '../pipeline/run.js';

/**
 * What a run of `config` needs, composed from the connector and the config (the CLI, tests and bench share it).
 * `baseDir` is the pipeline file's directory: relative paths in the config resolve against it.
 */
export function runOptionsFor<P extends PipelineConfig>(
  connector: Connector<P>,
  config: P,
  baseDir: string,
): RunOptions {
  return {
    pipeline: config.name,
    source: config.source,
    accounts: accountsOf(config.source).map((a) => ({
      name: a.name,
      headers: connector.authHeaders(a.api_key),
      ...(a.base_url === undefined ? {} : { baseUrl: a.base_url }),
    })),
    authHint: connector.authHint,
    streams: connector.streams(config, baseDir),
    views: connector.views(config),
    tables: connector.tables,
    destination: createDestination(config.destination, baseDir),
  };
}
