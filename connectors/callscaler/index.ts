import type {
  Connector,
  ExtractChunk,
  StreamContext,
  StreamPlugin,
  Window,
} from '../../src/pipeline/stream.js';
import type { CallsStreamConfig } from './config.js';
import { extractExport } from './extract/export.js';
import { extractList, warmListWorkers } from './extract/list.js';
import { probeCalls } from './extract/probe.js';
import { callsSchema } from './schema.js';

type Extractor = (ctx: StreamContext, cfg: CallsStreamConfig, window: Window) => AsyncIterable<ExtractChunk>;

/**
 * `extract: auto` backfills history through the export (one streamed request per window) and follows the
 * incremental tail (updated_since) through the list, where pages are few and the JSON carries everything.
 */
export function extractorFor(cfg: CallsStreamConfig, window: Window): Extractor {
  if (cfg.extract === 'export') return extractExport;
  if (cfg.extract === 'auto' && window.updatedSince === undefined) return extractExport;
  return extractList;
}

const calls: StreamPlugin<CallsStreamConfig> = {
  name: 'calls',
  schema: callsSchema,
  // Every config but `extract: export` may list (auto follows the tail through the list).
  prepare: (cfg) => (cfg.extract === 'export' ? undefined : warmListWorkers()),
  probe: probeCalls,
  extract: (ctx, cfg, window) => extractorFor(cfg, window)(ctx, cfg, window),
};

export const callscaler: Connector = {
  name: 'callscaler',
  streams: { calls: calls as unknown as StreamPlugin },
  authHeaders: (source) => ({ authorization: `Bearer ${source.api_key}` }),
};
