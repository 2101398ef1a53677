import * as arrow from 'apache-arrow';
import { withColumns } from '../../../src/arrow/select.js';
import type { ExtractChunk, StreamContext } from '../../../src/connector/stream.js';
import { fetchCalls, type TextWanted } from '../api/batch.js';
import { MAX_BATCH_IDS } from '../api/endpoints.js';
import type { PiiRules } from '../normalize/pii.js';

interface Waiting {
  readonly chunk: ExtractChunk;
  /** The position, in the window's queue of ids to look up, just past this chunk's last one. */
  readonly through: number;
}

type Texts = { transcription: unknown; summary: unknown };

/**
 * Fills the transcription and summary of rows whose extract did not carry them (an export without those
 * columns) through POST /calls/batch, before the rows are staged: a committed window always has its text.
 *
 * Ids go out in full requests of 100 as they arrive; a chunk waits until every id it needs has gone out, so a
 * window costs ceil(ids / 100) requests, one partial at its end. Requests run concurrently under the account's
 * request budget and are retried like every request; one that fails for good fails the window. The filled
 * text is hashed or dropped as `streams.calls.pii` says, like text the extract carried; a dropped field is
 * not looked up at all.
 */
export class TextFill {
  private readonly texts = new Map<string, Texts>();
  private queue: string[] = [];
  private queued = 0;
  private sent = 0;
  private inFlight: Promise<void>[] = [];
  private readonly waiting: Waiting[] = [];
  private counts = { text_filled: 0, text_not_found: 0, text_failed: 0, text_detail_lookups: 0 };

  /** The fields worth a lookup: needed and not dropped. */
  private readonly fetch: TextWanted;

  /** `columns`: the order of the filled batches' columns (the table's order of what they carry). */
  constructor(
    private readonly ctx: StreamContext,
    private readonly need: TextWanted,
    private readonly columns: readonly string[],
    private readonly pii: PiiRules,
  ) {
    this.fetch = {
      transcription: need.transcription && pii.modeOfKey('transcription') !== 'drop',
      summary: need.summary && pii.modeOfKey('summary') !== 'drop',
    };
  }

  /** Takes a chunk; returns the chunks whose text is in, in order. */
  async add(chunk: ExtractChunk): Promise<ExtractChunk[]> {
    const ids = chunk.batch ? this.idsNeeding(chunk.batch) : [];
    this.queue.push(...ids);
    this.queued += ids.length;
    this.waiting.push({ chunk, through: this.queued });
    while (this.queue.length >= MAX_BATCH_IDS) this.send(this.queue.splice(0, MAX_BATCH_IDS));
    return this.release();
  }

  /** The window's records are all in: looks up the rest (one partial request) and returns what waited. */
  async end(): Promise<ExtractChunk[]> {
    if (this.queue.length > 0) this.send(this.queue.splice(0));
    return this.release();
  }

  private idsNeeding(batch: arrow.RecordBatch): string[] {
    const id = batch.getChild('id');
    const has = batch.getChild('has_transcription');
    const out: string[] = [];
    if (!this.fetch.summary && !this.fetch.transcription) return out;
    for (let i = 0; i < batch.numRows; i++) {
      const value = id?.get(i);
      if (typeof value === 'string' && (this.fetch.summary || has?.get(i) === true)) out.push(value);
    }
    return out;
  }

  private send(ids: string[]): void {
    const done = fetchCalls(this.ctx.http, ids, this.ctx.signal, this.fetch).then((got) => {
      for (const [id, r] of got.records)
        this.texts.set(id, { transcription: r.transcription, summary: r.summary });
      this.counts.text_not_found += got.notFound.length;
      this.counts.text_detail_lookups += got.detailLookups;
    });
    done.catch(() => undefined); // awaited in release(): a failure there fails the window
    this.inFlight.push(done);
    this.sent += ids.length;
  }

  /** The head chunks whose ids have all gone out, filled once those lookups are done. */
  private async release(): Promise<ExtractChunk[]> {
    const ready: Waiting[] = [];
    while (this.waiting.length > 0 && this.waiting[0].through <= this.sent) ready.push(this.waiting.shift()!);
    if (ready.length === 0) return [];
    const lookups = this.inFlight;
    this.inFlight = [];
    await Promise.all(lookups);
    return ready.map((w) => this.fill(w.chunk));
  }

  private fill(chunk: ExtractChunk): ExtractChunk {
    const batch = chunk.batch;
    if (!batch) return { ...chunk, counters: this.takeCounts(chunk) };
    const id = batch.getChild('id');
    const has = batch.getChild('has_transcription');
    const transcription: (string | null)[] = [];
    const summary: (string | null)[] = [];
    for (let i = 0; i < batch.numRows; i++) {
      const key = id?.get(i) as string;
      const t = this.texts.get(key);
      this.texts.delete(key);
      if (t) {
        const bad = (v: unknown) => v !== null && v !== undefined && typeof v !== 'string';
        if (bad(t.transcription) || bad(t.summary)) this.counts.text_failed++;
        else this.counts.text_filled++;
      }
      transcription.push(has?.get(i) === true ? this.text(t?.transcription, 'transcription') : null);
      summary.push(this.text(t?.summary, 'summary'));
    }
    const added: Record<string, arrow.Vector> = {};
    if (this.need.transcription) added.transcription = arrow.vectorFromArray(transcription, new arrow.Utf8());
    if (this.need.summary) added.summary = arrow.vectorFromArray(summary, new arrow.Utf8());
    return { ...chunk, batch: withColumns(batch, this.columns, added), counters: this.takeCounts(chunk) };
  }

  /** A looked-up text as the row stores it: a string, masked as `pii` says; anything else NULL. */
  private text(v: unknown, field: 'transcription' | 'summary'): string | null {
    return typeof v === 'string' ? (this.pii.mask(v, this.pii.modeOfKey(field)) as string | null) : null;
  }

  private takeCounts(chunk: ExtractChunk): Record<string, number> {
    const out: Record<string, number> = { ...(chunk.counters ?? {}) };
    for (const [k, n] of Object.entries(this.counts)) if (n > 0) out[k] = (out[k] ?? 0) + n;
    this.counts = { text_filled: 0, text_not_found: 0, text_failed: 0, text_detail_lookups: 0 };
    return out;
  }
}
