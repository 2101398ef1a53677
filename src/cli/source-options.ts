import { accountsOf, type PipelineConfig } from '../config/schema.js';
import type { Connector } from '../connector/connector.js';
import type { RunOptions } from '../pipeline/run.js';

/** What a run needs apart from its destination: the accounts, the streams and the views. */
export type SourceOptions = Omit<RunOptions, 'destination'>;

/**
 * The source side of a run of `config`, composed from the connector and the config, without the destination:
 * `check` probes the API with it and never loads a database library; `run` starts its decode threads from it
 * before the engine loads. `baseDir` is the pipeline file's directory (relative paths resolve against it).
 */
export function sourceOptionsFor<P extends PipelineConfig>(
  connector: Connector<P>,
  config: P,
  baseDir: string,
): SourceOptions {
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
  };
}
