import type { ExtractChunk, Window, WindowContext } from '../../../src/connector/stream.js';
import { SyncError } from '../../../src/errors.js';
import { NetworkError, reasonOf, TimeoutError } from '../../../src/http/errors.js';
import { isRetryable } from '../../../src/http/retry.js';
import { transferable } from '../../../src/workers/transfer.js';
import { EXPORT_PATH } from '../api/endpoints.js';
import { windowQuery } from '../api/query.js';
import type { CallsStreamConfig } from '../config.js';
import type { RowMeta } from '../normalize/record.js';
import { compileRowSettings, rowSettingsOf } from '../normalize/settings.js';
import { BodyBuffer } from './body-buffer.js';
import { CsvTruncatedError } from './csv-records.js';
import { exportColumns } from './export-columns.js';
import type { ExportPieceHead, ExportPieceTask, ExportState } from './export-decode.js';
import { EXPORT_DECODER } from './export-decoder.js';
import { TextFill } from './text-fill.js';

/**
 * The body goes to the decode threads in pieces of about this many bytes: about one batch of rows (see
 * export-rows.ts). While a piece decodes, the next one is read: at most this much is read ahead (then reading
 * waits, and so does the server).
 */
export const PIECE_BYTES = 4 * 1024 * 1024;

/**
 * The export path: one streamed GET /calls/export per window, with the same filters as the list path. The body
 * is cut into pieces that a worker thread reads, normalizes and stages (export-decode.ts), one after the other:
 * each piece starts where the previous one stopped reading (the reader's state and the bytes of a record in
 * progress come back with it), so the rows, rejects, line numbers and errors are those of reading the body in
 * one go. This thread is left with the network, the text fill and the loader.
 *
 * Backpressure: while a piece decodes, at most one more piece of the body is read; then reading waits (and so
 * does the server), so memory stays at about a piece and a batch per window whatever the size of the export.
 */
export async function* extractExport(
  ctx: WindowContext,
  cfg: CallsStreamConfig,
  window: Window,
  pieceBytes = PIECE_BYTES,
): AsyncGenerator<ExtractChunk> {
  const where = `GET ${EXPORT_PATH} window ${window.key}`;
  const meta: RowMeta = {
    account: ctx.account,
    runId: ctx.runId,
    syncedAtMs: ctx.syncedAtMs,
    extract: 'export',
    settings: rowSettingsOf(cfg),
  };
  // Made once the header says which text columns the export lacks (only then is a fill needed).
  let fill: TextFill | null | undefined;
  const textFill = (header: string[]) => {
    const { textNeed, filledColumns } = exportColumns(header, 1, cfg.include, meta, where, window.key);
    const pii = compileRowSettings(meta.settings).pii;
    return textNeed ? new TextFill(ctx, textNeed, filledColumns, pii) : null;
  };
  const res = await ctx.http.getStream(EXPORT_PATH, windowQuery(cfg, window), ctx.signal);
  // Smaller pieces (tests) still read ahead as far: reading less would only make the server wait more.
  const body = new BodyBuffer(res.body, Math.max(pieceBytes, PIECE_BYTES));
  const send = (bytes: Uint8Array[], state: ExportState | undefined, dry = false) => {
    const data = transferable(Buffer.concat(bytes));
    const task: ExportPieceTask = {
      bytes: data,
      state,
      final: body.drained,
      dry,
      where,
      window: window.key,
      meta,
      include: cfg.include,
    };
    return ctx.decode<ExportPieceTask, ExportPieceHead>(EXPORT_DECODER, task, [data.buffer]);
  };
  const failed = (err: unknown, state: ExportState | undefined) =>
    bodyError(err, where, window, state?.reader.line ?? 1, ctx.signal);
  /**
   * The next piece: what the last one left unread and a piece's worth of the body beyond it (at least as much
   * again, so that a record longer than a piece ends up whole in one), or the rest of the body.
   */
  const next = async (state: ExportState | undefined, tail: Uint8Array) => {
    const bytes = Math.max(pieceBytes, tail.length);
    await body.fill(bytes);
    if (body.failed) throw await brokenOff(state, tail);
    return send([tail, ...body.take(bytes)], state);
  };
  /** The body broke off: the error names the line where data stopped, once the bytes before it are read. */
  const brokenOff = async (state: ExportState | undefined, tail: Uint8Array) => {
    if (ctx.signal.aborted) return body.failure;
    const dry = send([tail, ...body.take()], state, true);
    let head: ExportPieceHead;
    try {
      head = await dry.head;
    } catch (err) {
      // What could not be read in the bytes that did arrive comes first, as it would have.
      return failed(err, state);
    }
    await dry.chunk.catch(() => undefined);
    return failed(body.failure, head.state);
  };

  let complete = false;
  let current: ReturnType<typeof send> | undefined;
  try {
    current = await next(undefined, new Uint8Array(0));
    for (;;) {
      // The body is read on (up to a piece ahead) while this piece decodes.
      let head: ExportPieceHead;
      try {
        head = await current.head;
      } catch (err) {
        throw failed(err, undefined);
      }
      const following = head.ended ? undefined : await next(head.state, head.tail);
      let chunk: ExtractChunk;
      try {
        chunk = await current.chunk;
      } catch (err) {
        throw failed(err, head.state);
      }
      current = following;
      if (fill === undefined && head.state.header) fill = textFill(head.state.header);
      if (chunk.received > 0 || chunk.counters || chunk.warnings) {
        if (fill) yield* await fill.add(chunk);
        else yield chunk;
      }
      if (!current) break;
    }
    complete = true;
    if (fill) yield* await fill.end();
  } finally {
    // Stopped early (an error, or the consumer returned): free the connection and its budget slot, and let a
    // piece still being staged finish first (the window's staging is removed after a failure).
    if (!complete) {
      res.body.destroy();
      await current?.chunk.catch(() => undefined);
    }
  }
}

/**
 * Errors while reading the body, named with the window and the line where data stopped. A dropped
 * connection or a body cut off mid-record is retryable: the engine starts the window over.
 */
function bodyError(err: unknown, where: string, w: Window, line: number, signal: AbortSignal): unknown {
  if (signal.aborted) return err;
  const context = { window: w.key };
  const truncated = truncation(err);
  if (truncated) {
    return new NetworkError(
      `${where} line ${truncated.line}`,
      `response body truncated: ${truncated.detail}`,
      {
        cause: err,
        context,
      },
    );
  }
  if (err instanceof NetworkError || err instanceof TimeoutError || isRetryable(err)) {
    const endpoint = err instanceof NetworkError || err instanceof TimeoutError ? err.endpoint : where;
    return new NetworkError(`${where} line ${line}`, reasonOf(err, endpoint), {
      cause: err,
      retryable: isRetryable(err),
      context,
    });
  }
  if (err instanceof SyncError && err.context.window !== w.key) {
    return new SyncError(err.code, `${where} ${err.message}`, {
      cause: err,
      context: { ...err.context, ...context },
    });
  }
  return err;
}

/** A CsvTruncatedError, also as it comes back from a decode thread (a SyncError with its code and fields). */
function truncation(err: unknown): { line: number; detail: string } | undefined {
  if (err instanceof CsvTruncatedError) return err;
  if (!(err instanceof SyncError) || err.code !== CsvTruncatedError.CODE) return undefined;
  const { line, detail } = err as SyncError & { line?: unknown; detail?: unknown };
  return typeof line === 'number' && typeof detail === 'string' ? { line, detail } : undefined;
}
