import type { Connector } from '../../src/connector/connector.js';
import { callscalerPipelineSchema, configuredStreams, type PipelineConfig } from './streams.js';

/** The CallScaler connector: its pipeline.yaml, its streams, and how it authenticates. */
export const callscaler: Connector<PipelineConfig> = {
  name: 'callscaler',
  pipelineSchema: callscalerPipelineSchema,
  streams: configuredStreams,
  authHeaders: (source) => ({ authorization: `Bearer ${source.api_key}` }),
  authHint: 'Check CALLSCALER_API_KEY',
};
