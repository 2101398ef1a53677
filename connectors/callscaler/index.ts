import type { Connector } from '../../src/connector/connector.js';
import type { Stream } from '../../src/connector/stream.js';
import { type CallsStreamConfig, callscalerPipelineSchema, type PipelineConfig } from './config.js';
import { extractExport } from './extract/export.js';
import { extractList, LIST_DECODER } from './extract/list.js';
import { probeCalls } from './extract/probe.js';
import { callsSchema } from './schema.js';

/**
 * `extract: auto` backfills history through the export (one streamed request per window) and follows the
 * incremental tail (updated_since) through the list, where pages are few and the JSON carries everything.
 */
export function usesExport(cfg: CallsStreamConfig, updatedSince: string | undefined): boolean {
  return cfg.extract === 'export' || (cfg.extract === 'auto' && updatedSince === undefined);
}

/** The calls stream, bound to its settings. */
function callsStream(cfg: CallsStreamConfig, pageSize: number): Stream {
  return {
    name: 'calls',
    table: callsSchema,
    settings: cfg,
    // Every config but `extract: export` may list (auto follows the tail through the list).
    decoder: cfg.extract === 'export' ? undefined : LIST_DECODER,
    probe: (ctx, updatedSince) => probeCalls(ctx, cfg, updatedSince),
    extract: (ctx, window) =>
      usesExport(cfg, window.updatedSince)
        ? extractExport(ctx, cfg, window)
        : extractList(ctx, cfg, window, pageSize),
  };
}

export const callscaler: Connector<PipelineConfig> = {
  name: 'callscaler',
  pipelineSchema: callscalerPipelineSchema,
  streams: (config) =>
    config.streams.calls ? [callsStream(config.streams.calls, config.source.page_size)] : [],
  authHeaders: (source) => ({ authorization: `Bearer ${source.api_key}` }),
  authHint: 'Check CALLSCALER_API_KEY',
};
