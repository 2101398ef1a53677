import type { Connector, StreamPlugin } from '../../src/pipeline/stream.js';
import type { CallsStreamConfig } from './config.js';
import { extractList } from './extract/list.js';
import { probeCalls } from './extract/probe.js';
import { callsSchema } from './schema.js';

/** The calls stream. `export` and `auto` plug in here when the export path lands. */
const calls: StreamPlugin<CallsStreamConfig> = {
  name: 'calls',
  schema: callsSchema,
  probe: probeCalls,
  extract: (ctx, cfg, window) => extractList(ctx, cfg, window),
};

export const callscaler: Connector = {
  name: 'callscaler',
  streams: { calls: calls as unknown as StreamPlugin },
  authHeaders: (source) => ({ authorization: `Bearer ${source.api_key}` }),
};
