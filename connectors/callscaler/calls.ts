import type { SourceConfig } from '../../src/config/schema.js';
import type { Stream } from '../../src/connector/stream.js';
import type { CallsStreamConfig } from './config.js';
import { extractByIds } from './extract/by-ids.js';
import { EXPORT_DECODER, extractExport } from './extract/export.js';
import { extractList, LIST_DECODER } from './extract/list.js';
import { probeCalls } from './extract/probe.js';
import { rowSettingsFingerprint, rowSettingsOf } from './normalize/settings.js';
import { callsSchema } from './schema.js';

/**
 * `extract: auto` backfills history through the export (one streamed request per window) and follows the
 * incremental tail (updated_since) through the list, where pages are few and the JSON carries everything.
 */
export function usesExport(cfg: CallsStreamConfig, updatedSince: string | undefined): boolean {
  return cfg.extract === 'export' || (cfg.extract === 'auto' && updatedSince === undefined);
}

/** The calls stream, bound to its settings. */
export function callsStream(cfg: CallsStreamConfig, source: SourceConfig): Stream {
  return {
    name: 'calls',
    table: callsSchema,
    settings: cfg,
    // The zone of call_date and the PII modes change stored rows: the engine refuses to mix rows of both.
    fingerprint: rowSettingsFingerprint(rowSettingsOf(cfg)),
    // `auto` backfills through the export but follows the tail through the list: its tail runs are the
    // frequent ones, and a thread loads the export's module on its first piece anyway.
    decoder: cfg.extract === 'export' ? EXPORT_DECODER : LIST_DECODER,
    lookup: true,
    probe: (ctx, updatedSince) => probeCalls(ctx, cfg, updatedSince),
    extract: (ctx, window) => {
      if (window.ids) return extractByIds(ctx, cfg, window);
      return usesExport(cfg, window.updatedSince)
        ? extractExport(ctx, cfg, window)
        : extractList(ctx, cfg, window, source.page_size);
    },
  };
}
