import type { Connector } from '../../src/connector/connector.js';
import { callRecordingsSchema } from './recordings/schema.js';
import { callsSchema } from './schema.js';
import { STARTER_PIPELINE } from './starter-pipeline.js';
import { callscalerPipelineSchema, configuredStreams, type PipelineConfig } from './streams.js';
import { callsViews } from './views.js';

/** The CallScaler connector: its pipeline.yaml, its streams, and how it authenticates. */
export const callscaler: Connector<PipelineConfig> = {
  name: 'callscaler',
  pipelineSchema: callscalerPipelineSchema,
  streams: configuredStreams,
  authHeaders: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
  authHint: 'Check CALLSCALER_API_KEY',
  tables: [callsSchema, callRecordingsSchema],
  starterPipeline: STARTER_PIPELINE,
  // Loaded when a report is asked for: the chart library is the heaviest module of the package.
  report: async (db, options) => {
    const [{ reportData }, { renderReport }] = await Promise.all([
      import('./report/query.js'),
      import('./report/render.js'),
    ]);
    return renderReport(await reportData(db, options));
  },
  views: (config) => callsViews(config.streams.calls ? reportingZone(config.streams.calls) : 'UTC'),
};

/** The calls stream's reporting time zone (UTC until one is configured). */
function reportingZone(cfg: object): string {
  return 'timezone' in cfg && typeof cfg.timezone === 'string' ? cfg.timezone : 'UTC';
}
