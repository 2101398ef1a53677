import type { SourceConfig } from '../../src/config/schema.js';
import type { ExtractChunk, Stream, Window, WindowContext } from '../../src/connector/stream.js';
import type { CallsStreamConfig } from './config.js';
import { EXPORT_DECODER } from './extract/export-decoder.js';
import { extractList, LIST_DECODER } from './extract/list.js';
import { countCalls, probeCalls } from './extract/probe.js';
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
    probe: (ctx, request) => probeCalls(ctx, cfg, request),
    count: (ctx, range) => countCalls(ctx, cfg, range),
    extract: (ctx, window) => {
      if (window.ids) return extractByIdsLazily(ctx, cfg, window);
      return usesExport(cfg, window.updatedSince)
        ? extractExportLazily(ctx, cfg, window)
        : extractList(ctx, cfg, window, source.page_size);
    },
  };
}

/*
 * The export and lookup paths normalize and build Arrow batches on this thread, so their modules bring
 * apache-arrow and libphonenumber-js: they load when such a window is extracted, not with the connector, so
 * `check`, `schema`, `state`, `query` and list runs (which decode on worker threads) never pay for them.
 */

async function* extractExportLazily(
  ctx: WindowContext,
  cfg: CallsStreamConfig,
  window: Window,
): AsyncGenerator<ExtractChunk> {
  const { extractExport } = await import('./extract/export.js');
  yield* extractExport(ctx, cfg, window);
}

async function* extractByIdsLazily(
  ctx: WindowContext,
  cfg: CallsStreamConfig,
  window: Window,
): AsyncGenerator<ExtractChunk> {
  const { extractByIds } = await import('./extract/by-ids.js');
  yield* extractByIds(ctx, cfg, window);
}
