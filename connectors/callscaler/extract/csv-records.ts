import { isUtf8 } from 'node:buffer';
import { DataError, SyncError } from '../../../src/errors.js';
import {
  ByteWindow,
  CR,
  type CsvReject,
  countBreaks,
  endsWithBreak,
  LF,
  leadingBreaks,
  type RegionState,
  RejectRegion,
  withoutLineBreak,
} from './csv-lines.js';
import { type CsvFailure, CsvTokenizer } from './csv-tokenizer.js';

export type { CsvReject } from './csv-lines.js';

/**
 * Streamed CSV bytes → records, each with the line of the file where it starts, its raw text and whether its
 * bytes were valid UTF-8. CsvTokenizer does the RFC 4180 tokenizing (cells and where each record ends); this
 * layer adds what a loader needs on top:
 *
 * - Line numbers and raw text come from the bytes of the window kept here, counted the way an editor does.
 * - Getting back on track. One stray quote makes a tokenizer read the following rows as the inside of a quoted
 *   field. So when a record fails in a way that can mean "several rows run together" (broken quoting, a
 *   wrong cell count) and it spans several lines, only its first line is rejected and a fresh tokenizer reads
 *   again from the line after: the rows the stray quote swallowed are loaded after all. The lines that
 *   still do not read as rows (the rest of a damaged multi-line row) join that reject, so one damaged row
 *   is one reject. Each restart moves at least one line forward, so reading always ends.
 * - Bounds: a record (in practice: a quote that is never closed) may hold at most `maxRecordBytes`; past
 *   that its first line is rejected and reading starts again after it. Total re-reading is bounded too.
 * - Truncation: a body that stops inside a quoted field, or whose last line (with no line break after it)
 *   has fewer cells than the header, was cut off; that throws CsvTruncatedError. A cut exactly at a row
 *   boundary cannot be seen in the CSV; the HTTP layer catches those (chunked encoding, Content-Length).
 */

export interface CsvRecord {
  readonly cells: string[];
  /** 1-based line of the file where the record starts (the header is line 1 unless blank lines precede it). */
  readonly line: number;
  /** Lines the record spans: more than 1 when a quoted field holds line breaks. */
  readonly lines: number;
  /** False when some bytes were not UTF-8; the cells have U+FFFD in their place. */
  readonly validUtf8: boolean;
  /** The record as it is in the file, without its line break. */
  raw(): string;
}

/**
 * What the consumer made of a record: undefined when it took it; otherwise why not, and whether the
 * failure may mean the record is several rows run together (`split`: reject its first line only and read
 * the rest again) or the record is whole but unusable (reject it whole).
 */
export type Verdict = undefined | { readonly reason: string; readonly split: boolean };

export interface CsvRecordReaderOptions {
  /** The first record. Throw to stop reading (e.g. no id column). */
  onHeader(record: CsvRecord): void;
  onRecord(record: CsvRecord): Verdict;
  onReject(reject: CsvReject): void;
  /** Largest record accepted, in bytes (default 32 MiB). */
  maxRecordBytes?: number;
  /** Go on from where another reader stopped (`state()`): its first write is the body from `offset` on. */
  resume?: CsvReaderState;
}

/**
 * Where a reader stands between two records, as plain data: another reader (on another thread) given this and
 * the body's bytes from `offset` on reads exactly what this one would have read from there.
 *
 * Nothing else needs to travel. A record is handed to the consumer only once its bytes are complete, and the
 * bytes before `offset` are never looked at again, so everything read before `offset` is final. The tokenizer
 * restarted at `offset` is in the state this one had there: at the start of a record (BOM only at offset 0). A
 * record in progress is read again from its start; a failure waiting for the end of its first line (`broken`)
 * is found again the same way.
 */
export interface CsvReaderState {
  /** Body offset where the next record (or blank lines before it) starts: every byte before it is read. */
  readonly offset: number;
  /** The line at `offset`. */
  readonly line: number;
  /** The header's cell count; undefined until the header is read. */
  readonly headerCells: number | undefined;
  /** Lines rejected since the last re-read, kept as one reject until a row reads again (see `addReject`). */
  readonly region: RegionState | undefined;
  /** Bytes re-read after broken rows so far (the bound on re-reading holds for the whole body). */
  readonly replayed: number;
}

/** The body ended in the middle of a record: the connection was cut, whatever the status said. */
export class CsvTruncatedError extends SyncError {
  static readonly CODE = 'CS_CSV_TRUNCATED';

  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(CsvTruncatedError.CODE, `line ${line}: ${detail}`, { context: { line } });
  }
}

const MiB = 1024 * 1024;
/** Re-reading after broken rows may cost this many times the body (plus a constant) before giving up. */
const REPLAY_FACTOR = 4;
const REPLAY_SLACK = 64 * MiB;

interface Found {
  readonly cells: string[];
  /** Offset just past the record (and its line break) in the current tokenizer's input. */
  readonly end: number;
}

export class CsvRecordReader {
  private readonly opts: CsvRecordReaderOptions;
  private readonly maxRecordBytes: number;
  private tokenizer: CsvTokenizer;
  /** Where in the body the current tokenizer's input starts. */
  private tokenizerStart: number;
  /** Every byte of the record in progress is still here. */
  private readonly bytes: ByteWindow;
  /** Where the next record starts, and its line. */
  private base: number;
  private baseLine: number;
  private headerCells: number | undefined;
  private found: Found[] = [];
  /** A record failed before the end of its first line arrived: the reason, kept until that line is whole. */
  private broken: string | undefined;
  private eof = false;
  private replayed: number;
  /** Lines rejected since the last failure that had to re-read, kept as one reject until a row reads again. */
  private region: RejectRegion | undefined;

  constructor(opts: CsvRecordReaderOptions) {
    this.opts = opts;
    this.maxRecordBytes = opts.maxRecordBytes ?? 32 * MiB;
    const from = opts.resume;
    this.base = this.tokenizerStart = from?.offset ?? 0;
    this.baseLine = from?.line ?? 1;
    this.headerCells = from?.headerCells;
    this.region = from?.region && RejectRegion.from(from.region);
    this.replayed = from?.replayed ?? 0;
    this.bytes = new ByteWindow(this.base);
    this.tokenizer = this.newTokenizer(this.base === 0);
  }

  /** The line where the first record not yet complete starts: where a cut-off body lost data. */
  get line(): number {
    return this.baseLine;
  }

  /** Where this reader stands after the last write, for another reader to go on from (see CsvReaderState). */
  state(): CsvReaderState {
    return {
      offset: this.base,
      line: this.baseLine,
      headerCells: this.headerCells,
      region: this.region?.state(),
      replayed: this.replayed,
    };
  }

  write(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.bytes.push(buf);
    let input: Buffer | undefined = buf;
    if (this.broken !== undefined) input = this.resumeBroken();
    if (input) this.run(input);
    this.checkSize();
  }

  /** The body is complete: flushes the last record. Throws CsvTruncatedError when it was cut off. */
  async end(): Promise<void> {
    this.eof = true;
    for (;;) {
      if (this.broken !== undefined) {
        this.rejectFirstLine(this.broken);
        break;
      }
      const tokenizer = this.tokenizer;
      tokenizer.end();
      const replay = this.settle();
      if (replay) this.run(replay);
      if (this.tokenizer === tokenizer && this.broken === undefined) break;
    }
    this.closeRegion();
  }

  private newTokenizer(first: boolean): CsvTokenizer {
    // Records are taken synchronously: write() returns with everything read so far. A tokenizer stops at
    // its first failure, so no record after it is ever taken (it is read again by the next tokenizer).
    return new CsvTokenizer({ bom: first, onRecord: (cells, end) => this.found.push({ cells, end }) });
  }

  private run(input: Buffer): void {
    for (let next: Buffer | undefined = input; next; ) {
      this.tokenizer.write(next);
      next = this.settle();
    }
  }

  /**
   * Hands the records found by the last write to the consumer, in order. Returns the bytes to read again
   * when a record failed and reading restarts after its first line.
   */
  private settle(): Buffer | undefined {
    const found = this.found;
    this.found = [];
    for (const f of found) {
      const end = this.tokenizerStart + f.end;
      const rec = this.record(f.cells, this.bytes.take(this.base, end));
      if (this.headerCells === undefined) {
        this.headerCells = rec.cells.length;
        this.opts.onHeader(rec);
        this.consume(end, rec);
        continue;
      }
      if (!rec.terminated && rec.cells.length < this.headerCells) {
        throw new CsvTruncatedError(
          rec.line,
          `the body ends inside a record (${rec.cells.length} of ${this.headerCells} cells, no line break after it)`,
        );
      }
      const verdict = this.opts.onRecord(rec);
      if (verdict === undefined) {
        this.closeRegion();
        this.consume(end, rec);
      } else if (verdict.split && rec.lines > 1) {
        return this.fail(
          `${verdict.reason} (lines ${rec.line}-${rec.line + rec.lines - 1} read as one record)`,
        );
      } else {
        this.addReject(rec.line, rec.lines, rec.text, verdict.reason);
        this.consume(end, rec);
      }
    }
    const failure = this.tokenizer.failure;
    if (failure === undefined) return undefined;
    if (this.eof && failure.code === 'CSV_QUOTE_NOT_CLOSED' && !this.bytes.endsWithLineBreak()) {
      throw new CsvTruncatedError(this.startLine(), 'the body ends inside a quoted field');
    }
    if (this.headerCells === undefined) {
      throw new DataError(`line ${this.baseLine}: the header is not valid CSV: ${describeFailure(failure)}`);
    }
    return this.fail(describeFailure(failure));
  }

  /** The record at `base` failed: reject its first line and read again from the line after it. */
  private fail(reason: string): Buffer | undefined {
    const lineEnd = this.firstLineEnd();
    if (lineEnd === undefined) {
      // The rest of the line has not arrived yet; no tokenizer is needed until it has.
      this.broken = reason;
      return undefined;
    }
    this.rejectFirstLine(reason, lineEnd);
    return this.restart();
  }

  /** Bytes arrived while a failed record waited for the end of its first line. */
  private resumeBroken(): Buffer | undefined {
    if (this.firstLineEnd() === undefined) return undefined;
    const reason = this.broken!;
    this.broken = undefined;
    return this.fail(reason);
  }

  /** Rejects the first line of the record at `base` (up to the end of the body when it has no line break). */
  private rejectFirstLine(reason: string, lineEnd = this.bytes.end): void {
    const { start, line } = this.skipBlankLines();
    const bytes = this.bytes.take(start, lineEnd);
    this.region ??= new RejectRegion(line, reason);
    this.addReject(line, 1, bytes, reason);
    this.base = lineEnd;
    this.baseLine = line + (lineEnd < this.bytes.end || endsWithBreak(bytes) ? 1 : 0);
    this.broken = undefined;
    this.bytes.dropBefore(this.base);
  }

  /**
   * A rejected record or line. After a failure that re-reads (broken quoting, rows run together), the lines
   * that still do not read as rows (the rest of a damaged multi-line row, usually) join its reject: one
   * damaged row is one reject, not one per line of its transcript.
   */
  private addReject(line: number, lines: number, bytes: Buffer, reason: string): void {
    if (this.region) this.region.add(line + lines - 1, bytes);
    else this.opts.onReject({ line, raw: withoutLineBreak(bytes).toString('utf8'), reason });
  }

  private closeRegion(): void {
    if (this.region) this.opts.onReject(this.region.toReject());
    this.region = undefined;
  }

  private restart(): Buffer | undefined {
    this.tokenizer = this.newTokenizer(false);
    this.tokenizerStart = this.base;
    this.found = [];
    const replay = this.bytes.take(this.base, this.bytes.end);
    this.replayed += replay.length;
    if (this.replayed > REPLAY_FACTOR * this.bytes.end + REPLAY_SLACK) {
      throw new DataError(
        `line ${this.baseLine}: too much broken CSV to get back on track (re-read ${this.replayed} bytes of ${this.bytes.end})`,
      );
    }
    return replay.length > 0 ? replay : undefined;
  }

  /** A record (a quote never closed, usually) bigger than allowed: reject its first line and go on. */
  private checkSize(): void {
    const mib = Math.round(this.maxRecordBytes / MiB);
    while (this.bytes.end - this.base > this.maxRecordBytes) {
      if (this.headerCells === undefined) throw new DataError(`line 1: a header larger than ${mib} MiB`);
      if (this.firstLineEnd() === undefined) {
        throw new DataError(`line ${this.startLine()}: a line longer than ${mib} MiB; is this a CSV export?`);
      }
      this.broken = undefined;
      const replay = this.fail(`a record larger than ${mib} MiB (a quote that is never closed?)`);
      if (replay) this.run(replay);
    }
  }

  /** `bytes` run from `base` to the end of the record's line break. */
  private record(cells: string[], bytes: Buffer): CsvRecord & { terminated: boolean; text: Buffer } {
    const lead = leadingBreaks(bytes);
    const text = bytes.subarray(lead.bytes);
    const content = withoutLineBreak(text);
    return {
      cells,
      line: this.baseLine + lead.lines,
      lines: countBreaks(content) + 1,
      validUtf8: isUtf8(content),
      terminated: content.length < text.length,
      text,
      raw: () => content.toString('utf8'),
    };
  }

  private consume(end: number, rec: { line: number; lines: number; terminated: boolean }): void {
    this.base = end;
    this.baseLine = rec.line + rec.lines - 1 + (rec.terminated ? 1 : 0);
    this.bytes.dropBefore(this.base);
  }

  /** Where the record at `base` really starts (blank lines skipped), and its line. */
  private skipBlankLines(): { start: number; line: number } {
    const rest = this.bytes.take(this.base, Math.min(this.bytes.end, this.base + 4096));
    const lead = leadingBreaks(rest);
    return { start: this.base + lead.bytes, line: this.baseLine + lead.lines };
  }

  private startLine(): number {
    return this.skipBlankLines().line;
  }

  /** The offset just past the first line break of the record at `base`; undefined until one has arrived. */
  private firstLineEnd(): number | undefined {
    const { start } = this.skipBlankLines();
    const rest = this.bytes.take(start, this.bytes.end);
    const lf = rest.indexOf(LF);
    const cr = rest.indexOf(CR);
    const at = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
    if (at === -1) return undefined;
    if (rest[at] === LF) return start + at + 1;
    // A CR at the end of what has arrived may be the first half of a CRLF.
    if (at + 1 === rest.length) return this.eof ? start + at + 1 : undefined;
    return start + at + (rest[at + 1] === LF ? 2 : 1);
  }
}

function describeFailure(err: CsvFailure): string {
  switch (err.code) {
    case 'INVALID_OPENING_QUOTE':
      return 'broken quoting: a quote inside an unquoted field';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'broken quoting: a closing quote followed by text instead of a delimiter or line break';
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'broken quoting: a quoted field that is never closed';
  }
}
