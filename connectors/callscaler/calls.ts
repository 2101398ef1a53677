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

type Extract = (ctx: WindowContext, cfg: CallsStreamConfig, window: Window) => AsyncGenerator<ExtractChunk>;

/**
 * An extract path loaded when its first window is extracted, not with the connector. The export path's side on
 * this thread (its text fill builds Arrow columns) and the lookup path (which normalizes here) bring
 * apache-arrow, the lookup libphonenumber-js too: `check`, `schema`, `state`, `query` and list runs (which
 * decode on worker threads) never pay for them.
 */
function loadedOnUse(load: () => Promise<Extract>): Extract {
  return async function* (ctx, cfg, window) {
    yield* (await load())(ctx, cfg, window);
  };
}

const extractExport = loadedOnUse(async () => (await import('./extract/export.js')).extractExport);
const extractByIds = loadedOnUse(async () => (await import('./extract/by-ids.js')).extractByIds);

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
      if (window.ids) return extractByIds(ctx, cfg, window);
      return usesExport(cfg, window.updatedSince)
        ? extractExport(ctx, cfg, window)
        : extractList(ctx, cfg, window, source.page_size);
    },
  };
}
