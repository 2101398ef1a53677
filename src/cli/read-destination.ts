import type { PipelineConfig } from '../config/schema.js';
import type { Connector } from '../connector/connector.js';
import { DestinationReader } from '../load/reader.js';
import { loadPipelineFile } from './pipeline-file.js';

/** A pipeline's destination, opened to read (no key needed); undefined when nothing was written there yet. */
export async function readDestination<P extends PipelineConfig>(
  configFile: string,
  connector: Connector<P>,
): Promise<{ config: P; reader: DestinationReader | undefined; where: string }> {
  const { config, baseDir } = await loadPipelineFile(configFile, connector, { local: true });
  const reader = await DestinationReader.open(
    config.destination,
    baseDir,
    connector.views(config),
    connector.tables,
  );
  const d = config.destination;
  const where = d.type === 'duckdb' ? `duckdb ${d.path}` : `parquet ${d.dir}`;
  return { config, reader, where };
}
