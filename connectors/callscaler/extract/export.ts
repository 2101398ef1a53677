import { BatchBuilder } from '../../../src/arrow/batch-builder.js';
import { rawText } from '../../../src/connector/reject.js';
import type { ExtractChunk, StreamContext, StreamReject, Window } from '../../../src/connector/stream.js';
import { DataError, SyncError } from '../../../src/errors.js';
import { NetworkError, reasonOf, TimeoutError } from '../../../src/http/errors.js';
import { isRetryable } from '../../../src/http/retry.js';
import { EXPORT_PATH } from '../api/endpoints.js';
import { windowQuery } from '../api/query.js';
import type { CallsStreamConfig } from '../config.js';
import { carriedColumns } from '../normalize/carried.js';
import { selectCarried } from '../normalize/carried-batch.js';
import { type CsvHeaderMap, csvCellCountReason, csvRowToRecord, resolveCsvHeader } from '../normalize/csv.js';
import { RAW_WITHHELD } from '../normalize/pii.js';
import { QualityTally } from '../normalize/quality.js';
import { normalizeCall, type RowMeta } from '../normalize/record.js';
import { compileRowSettings, rowSettingsOf } from '../normalize/settings.js';
import { callsSchema, INCLUDABLE } from '../schema.js';
import { type CsvRecord, CsvRecordReader, CsvTruncatedError, type Verdict } from './csv-records.js';
import { TextFill, type TextNeed } from './text-fill.js';

const INCLUDABLE_SET: ReadonlySet<string> = new Set(INCLUDABLE);

/**
 * A chunk goes to the engine every this many rows, or sooner when long texts make the batch this big. Each
 * staged batch passes through parquet-wasm, whose memory grows to the largest batch and never shrinks:
 * 4 MiB batches kept a 100k-call export 30 MB leaner than 16 MiB ones, at the same speed.
 */
const FLUSH_ROWS = 5000;
const FLUSH_BYTES = 4 * 1024 * 1024;

/**
 * The export path: one streamed GET /calls/export per window, with the same filters as the list path.
 * Backpressure is the loop itself: the next piece of the body is read only once the rows of the previous
 * one are in a batch, and a full batch is yielded (and staged by the engine) before reading on, so memory
 * stays at about one batch whatever the size of the export.
 */
export async function* extractExport(
  ctx: StreamContext,
  cfg: CallsStreamConfig,
  window: Window,
): AsyncGenerator<ExtractChunk> {
  const where = `GET ${EXPORT_PATH} window ${window.key}`;
  const rows = new ExportRows(
    {
      account: ctx.account,
      runId: ctx.runId,
      syncedAtMs: ctx.syncedAtMs,
      extract: 'export',
      settings: rowSettingsOf(cfg),
    },
    where,
    window,
    cfg.include,
  );
  // Made once the header says which text columns the export lacks (only then is a fill needed).
  let fill: TextFill | null | undefined;
  const pii = compileRowSettings(rowSettingsOf(cfg)).pii;
  const out = async function* (chunk: ExtractChunk): AsyncGenerator<ExtractChunk> {
    fill ??= rows.textNeed ? new TextFill(ctx, rows.textNeed, rows.filledColumns, pii) : null;
    if (fill) yield* await fill.add(chunk);
    else yield chunk;
  };
  const reader = new CsvRecordReader({
    onHeader: (rec) => rows.header(rec),
    onRecord: (rec) => rows.row(rec),
    onReject: (r) => rows.reject(r.line, r.raw, r.reason),
  });
  const res = await ctx.http.getStream(EXPORT_PATH, windowQuery(cfg, window), ctx.signal);
  let complete = false;
  try {
    const body = res.body[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await body.next();
        if (next.done) await reader.end();
        else reader.write(next.value);
      } catch (err) {
        throw bodyError(err, where, window, reader.line, ctx.signal);
      }
      if (next.done) break;
      if (rows.full) yield* out(rows.flush());
    }
    complete = true;
    if (rows.pending) yield* out(rows.flush());
    if (fill) yield* await fill.end();
  } finally {
    // Stopped early (an error, or the consumer returned): free the connection and its budget slot.
    if (!complete) res.body.destroy();
  }
}

/** The rows of one export: header mapping, normalization into a batch, rejects, the AI checks' tally. */
class ExportRows {
  private map: CsvHeaderMap | undefined;
  private listKeys: string[] = [];
  private readonly builder = new BatchBuilder(callsSchema);
  private readonly tally = new QualityTally();
  private rejects: StreamReject[] = [];
  private received = 0;

  constructor(
    private readonly meta: RowMeta,
    private readonly where: string,
    private readonly window: Window,
    private readonly include: readonly string[],
  ) {}

  /** The columns the export's rows carry (known once its header is read). */
  private carried: string[] = [];
  /** The text fields `include` asks for that the export lacks, to be filled; undefined when none. */
  textNeed: TextNeed | undefined;
  /** The columns of the rows once their text is filled. */
  filledColumns: string[] = [];

  get full(): boolean {
    return this.builder.length >= FLUSH_ROWS || this.builder.byteLength >= FLUSH_BYTES;
  }

  get pending(): boolean {
    return this.received > 0;
  }

  flush(): ExtractChunk {
    const built = this.builder.length > 0 ? this.builder.finish() : null;
    const batch = built && selectCarried(built, this.carried);
    const chunk: ExtractChunk = {
      batch,
      rejects: this.rejects,
      received: this.received,
      ...this.tally.take(),
    };
    this.rejects = [];
    this.received = 0;
    return chunk;
  }

  header(rec: CsvRecord): void {
    try {
      this.map = resolveCsvHeader(rec.cells, !compileRowSettings(this.meta.settings).pii.active);
    } catch (err) {
      if (!(err instanceof SyncError)) throw err;
      throw new DataError(`${this.where} line ${rec.line}: ${err.message}`, {
        cause: err,
        context: { window: this.window.key },
      });
    }
    this.listKeys = this.map.columns.filter((c) => c.type === 'list_utf8').map((c) => c.key);
    // A text column the export has counts only when include asks for it, as on the list path.
    const fields = new Set(
      this.map.columns
        .filter((c) => c.type !== null && (!INCLUDABLE_SET.has(c.key) || this.include.includes(c.key)))
        .map((c) => c.key),
    );
    this.carried = carriedColumns(fields);
    const lacks = (f: string) => this.include.includes(f) && !fields.has(f);
    if (lacks('transcription') || lacks('summary')) {
      this.textNeed = { transcription: lacks('transcription'), summary: lacks('summary') };
      this.filledColumns = carriedColumns(new Set([...fields, ...this.include]));
    }
  }

  row(rec: CsvRecord): Verdict {
    const map = this.map!;
    // A wrong cell count may be rows run together by broken quoting: the reader then re-reads the lines.
    const count = csvCellCountReason(rec.cells, map);
    if (count !== null) return { reason: count, split: true };
    if (!rec.validUtf8) return { reason: invalidUtf8Reason(rec.cells, map), split: false };
    const parsed = csvRowToRecord(rec.cells, map);
    if (!parsed.ok) return { reason: parsed.reason, split: false };
    // The API sends these lists as arrays, [] when empty; an export with `;` or `,` lists can only write []
    // as an empty cell. Reading that as [] keeps the export's rows equal to the list path's.
    for (const key of this.listKeys) parsed.record[key] ??= [];
    const normalized = normalizeCall(parsed.record, this.meta, this.tally);
    if (!normalized.ok) return { reason: normalized.reason, split: false };
    this.builder.append(normalized.row);
    this.received++;
    return undefined;
  }

  /**
   * A line that cannot be read cannot be masked either: with a personal field hashed or dropped its text is
   * withheld (line and reason stay). The reasons never quote a personal field: those are text columns.
   */
  reject(line: number, raw: string, reason: string): void {
    const text = compileRowSettings(this.meta.settings).pii.active ? RAW_WITHHELD : rawText(raw);
    this.rejects.push({ source: this.where, line, raw: text, reason });
    this.received++;
  }
}

/** Invalid UTF-8 is refused rather than loaded with U+FFFD in it: the field it hit is probably named. */
function invalidUtf8Reason(cells: readonly string[], map: CsvHeaderMap): string {
  const at = cells.findIndex((c) => c.includes('\uFFFD'));
  const field = at >= 0 ? `${map.columns[at].key}: ` : '';
  return `${field}bytes that are not valid UTF-8`;
}

/**
 * Errors while reading the body, named with the window and the line where data stopped. A dropped
 * connection or a body cut off mid-record is retryable: the engine starts the window over.
 */
function bodyError(err: unknown, where: string, w: Window, line: number, signal: AbortSignal): unknown {
  if (signal.aborted) return err;
  const context = { window: w.key };
  if (err instanceof CsvTruncatedError) {
    return new NetworkError(`${where} line ${err.line}`, `response body truncated: ${err.detail}`, {
      cause: err,
      context,
    });
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
