import type { DecodedRows } from '../../../src/connector/stream.js';
import { parseListPage } from '../api/list-envelope.js';
import type { RowMeta } from '../normalize/record.js';
import { compileRowSettings } from '../normalize/settings.js';
import { parseCallsJson } from './page-json.js';
import { withSpareBuilder } from './spare-builder.js';
import { recordsToChunk } from './to-batch.js';

/** One list page to decode, as handed to `WindowContext.decode` (it runs on a worker thread). */
export interface ListPageTask {
  /** The raw response body (transferred, not copied). */
  readonly body: Uint8Array;
  /** `GET /calls` as error messages name it. */
  readonly endpoint: string;
  /** `GET /calls window W page P`: where a bad envelope or record came from. */
  readonly where: string;
  /** The window's key, carried by errors as data (the engine then does not name the window again). */
  readonly window: string;
  readonly secrets: readonly string[];
  /** The row settings (zone, PII modes and salt) travel here: a worker thread has no config of its own. */
  readonly meta: RowMeta;
  /** The columns the page carries (a text column only when `include` asked for it). */
  readonly columns: readonly string[];
}

/** Sent as soon as the envelope is read, so the next page can be requested while the rows are built. */
export interface ListPageHead {
  readonly hasMore: boolean;
  readonly nextCursor: string | null;
  readonly total: number | undefined;
}

/**
 * Body bytes -> JSON -> envelope (sent as the head) -> normalized rows in Arrow. All the CPU of a list page,
 * run on a worker thread; the same errors as on the main thread (they come back as their class).
 */
export function decode(t: ListPageTask, head: (h: ListPageHead) => void): DecodedRows {
  const buf = Buffer.from(t.body.buffer, t.body.byteOffset, t.body.byteLength);
  const withhold = compileRowSettings(t.meta.settings).pii.active;
  const json = parseCallsJson(buf, t.endpoint, t.secrets, withhold);
  const page = parseListPage(json, t.where, { window: t.window });
  head({ hasMore: page.hasMore, nextCursor: page.nextCursor, total: page.total });
  return withSpareBuilder((builder) =>
    recordsToChunk(page.calls, t.meta, t.where, undefined, t.columns, builder),
  );
}
