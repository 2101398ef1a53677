/**
 * RFC 4180 tokenizing of streamed CSV bytes, built for export rows that are mostly long quoted transcripts.
 * It reads what csv-parse read with the options the export reader used (`bom` on the first parser,
 * `relax_column_count`, `skip_empty_lines`, `skip_records_with_error`, record delimiters CRLF, LF and CR),
 * and reports the same failure codes:
 *
 * - a quote inside an unquoted field: INVALID_OPENING_QUOTE;
 * - a closing quote followed by anything but a comma, a line break or the end: CSV_INVALID_CLOSING_QUOTE;
 * - the input ending inside a quoted field: CSV_QUOTE_NOT_CLOSED.
 *
 * Two passes, each cheap. On the bytes, only quotes and line breaks matter: `Buffer#indexOf` jumps from one
 * to the next, which finds where each record ends and checks every quote as it goes (so a failure is found
 * as soon as its bytes arrive). Each record is then decoded once and split on the string, where quotes and
 * commas are where they were in the bytes (they are ASCII, and a UTF-8 decoder never folds an ASCII byte
 * into U+FFFD): one native call per record instead of one per cell, which is what decoding used to cost.
 *
 * Two inputs read differently from csv-parse, on purpose: it accepts a NUL byte after a closing quote (it
 * tests the next byte for truthiness) and switches to UTF-16 on a leading FF FE; here the first is an
 * invalid closing quote and the second is just bytes.
 *
 * A line with no characters is no record. The first failure stops the tokenizer: the reader rejects the
 * line and starts a new tokenizer after it, so what follows a failure is never needed.
 */

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export type CsvFailureCode = 'INVALID_OPENING_QUOTE' | 'CSV_INVALID_CLOSING_QUOTE' | 'CSV_QUOTE_NOT_CLOSED';

export interface CsvFailure {
  readonly code: CsvFailureCode;
  /** Offset in the input of the byte that broke the rules (the end of the input for a quote not closed). */
  readonly offset: number;
}

export interface CsvTokenizerOptions {
  /** Skip a UTF-8 BOM at the very start of the input. */
  bom?: boolean;
  /** A record and the offset just past it and its line break (or the end of the input), in this input. */
  onRecord(cells: string[], end: number): void;
}

// Where the byte pass stands between two chunks.
/** Outside quotes: at the start of a record or between the fields of one. */
const OUTSIDE = 0;
/** Inside a quoted field. */
const QUOTED = 1;
/** Inside a quoted field, right after a quote that ended the chunk: an escaped quote or the closing one. */
const QUOTE_AT_END = 2;
/** A record ended with a CR that ended the chunk: its end offset waits for the next byte (CRLF or not). */
const CR_AT_END = 3;
/** Failed or ended: reads nothing more. */
const STOPPED = 4;

export class CsvTokenizer {
  /** The first failure; once set, nothing more is read. */
  failure: CsvFailure | undefined;
  private readonly onRecord: (cells: string[], end: number) => void;
  private at = OUTSIDE;
  /** Bytes before the current chunk. */
  private offset = 0;
  /** Where the record in progress starts (blank lines before it skipped). */
  private start = 0;
  /** Its bytes from earlier chunks. */
  private parts: Buffer[] = [];
  /** The last byte of the previous chunk. */
  private last = -1;
  /** With CR_AT_END: the record's cells and the offset just past that CR. */
  private pending: string[] = [];
  private crEnd = 0;
  /** Leading bytes held back until there are enough to tell whether they are a BOM. */
  private head: Buffer | undefined;

  constructor(opts: CsvTokenizerOptions) {
    this.onRecord = opts.onRecord;
    if (opts.bom) this.head = Buffer.alloc(0);
  }

  write(chunk: Buffer): void {
    if (this.head === undefined) {
      this.scan(chunk);
      return;
    }
    const head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
    if (head.length < BOM.length) {
      this.head = head;
      return;
    }
    this.head = undefined;
    if (head[0] === BOM[0] && head[1] === BOM[1] && head[2] === BOM[2]) {
      this.offset = this.start = BOM.length;
      this.scan(head.subarray(BOM.length));
    } else {
      this.scan(head);
    }
  }

  /** The input is complete: flushes a last record that has no line break after it. */
  end(): void {
    if (this.head !== undefined) {
      const head = this.head;
      this.head = undefined;
      this.scan(head);
    }
    const end = this.offset;
    switch (this.at) {
      case QUOTED:
        this.fail('CSV_QUOTE_NOT_CLOSED', end);
        return;
      case CR_AT_END:
        this.onRecord(this.pending, this.crEnd);
        break;
      case OUTSIDE:
      case QUOTE_AT_END:
        // The record's bytes are all in parts: each chunk leaves there what it did not finish.
        if (this.start < end) this.onRecord(split(Buffer.concat(this.parts).toString('utf8')), end);
        break;
    }
    this.at = STOPPED;
  }

  private scan(buf: Buffer): void {
    const len = buf.length;
    const off = this.offset;
    if (len === 0 || this.at === STOPPED) return;
    this.offset += len;
    let p = this.resume(buf, off);
    // The next quote, LF and CR at or after p; len when there is none. Kept between events so that a kind
    // of byte that does not occur is searched for once per chunk, not once per record.
    let quote = -1;
    let lf = -1;
    let cr = -1;
    while (p < len) {
      if (quote < p) quote = next(buf, QUOTE, p);
      if (this.at === QUOTED) {
        const q = quote;
        if (q === len) break;
        if (q + 1 === len) {
          this.at = QUOTE_AT_END;
          break;
        }
        const c = buf[q + 1];
        if (c === QUOTE) p = q + 2;
        else if (c === COMMA || c === LF || c === CR) {
          this.at = OUTSIDE;
          p = q + 1;
        } else {
          this.fail('CSV_INVALID_CLOSING_QUOTE', off + q + 1);
          return;
        }
        continue;
      }
      if (lf < p) lf = next(buf, LF, p);
      if (cr < p) cr = next(buf, CR, p);
      const b = Math.min(lf, cr);
      if (quote < b) {
        // A quote outside quotes opens a field, so it must be the first byte of one.
        if (off + quote !== this.start && (quote > 0 ? buf[quote - 1] : this.last) !== COMMA) {
          this.fail('INVALID_OPENING_QUOTE', off + quote);
          return;
        }
        this.at = QUOTED;
        p = quote + 1;
      } else if (b === len) {
        break;
      } else if (off + b === this.start) {
        // A line with no characters; after a CR, a LF is one more of them.
        this.start++;
        p = b + 1;
      } else {
        p = this.lineBreak(buf, off, b);
      }
    }
    if (this.at !== STOPPED) {
      this.last = buf[len - 1];
      const from = this.start - off;
      if (from < len) this.parts.push(from > 0 ? buf.subarray(from) : buf);
    }
  }

  /** Settles what the previous chunk left open on its last byte; returns where to go on in `buf`. */
  private resume(buf: Buffer, off: number): number {
    if (this.at === CR_AT_END) {
      this.at = OUTSIDE;
      const end = buf[0] === LF ? off + 1 : this.crEnd;
      this.start = end;
      this.onRecord(this.pending, end);
      this.pending = [];
      return end - off;
    }
    if (this.at === QUOTE_AT_END) {
      const c = buf[0];
      if (c === QUOTE) {
        this.at = QUOTED;
        return 1;
      }
      if (c !== COMMA && c !== LF && c !== CR) {
        this.fail('CSV_INVALID_CLOSING_QUOTE', off);
        return buf.length;
      }
      this.at = OUTSIDE;
    }
    return 0;
  }

  /** The record in progress ends with the line break at `b`; returns where the next one starts. */
  private lineBreak(buf: Buffer, off: number, b: number): number {
    const cells = split(this.take(buf, b));
    if (buf[b] === LF || (b + 1 < buf.length && buf[b + 1] !== LF)) {
      this.start = off + b + 1;
      this.onRecord(cells, this.start);
      return b + 1;
    }
    if (b + 1 < buf.length) {
      this.start = off + b + 2;
      this.onRecord(cells, this.start);
      return b + 2;
    }
    this.at = CR_AT_END;
    this.pending = cells;
    this.crEnd = this.start = off + b + 1;
    return b + 1;
  }

  /** The text of the record in progress, which ends at `b` in `buf`. */
  private take(buf: Buffer, b: number): string {
    const parts = this.parts;
    if (parts.length === 0) return buf.toString('utf8', this.start - (this.offset - buf.length), b);
    this.parts = [];
    if (b > 0) parts.push(buf.subarray(0, b));
    return (parts.length === 1 ? parts[0] : Buffer.concat(parts)).toString('utf8');
  }

  private fail(code: CsvFailureCode, offset: number): void {
    this.failure = { code, offset };
    this.at = STOPPED;
    this.parts = [];
  }
}

function next(buf: Buffer, byte: number, from: number): number {
  const at = buf.indexOf(byte, from);
  return at === -1 ? buf.length : at;
}

/** The cells of one record's text, whose quoting the byte pass has checked. */
function split(text: string): string[] {
  const cells: string[] = [];
  const n = text.length;
  let p = 0;
  for (;;) {
    if (text.charCodeAt(p) === QUOTE) {
      let q = text.indexOf('"', p + 1);
      let escaped = false;
      while (text.charCodeAt(q + 1) === QUOTE) {
        escaped = true;
        q = text.indexOf('"', q + 2);
      }
      const cell = text.slice(p + 1, q);
      cells.push(escaped ? cell.replaceAll('""', '"') : cell);
      p = q + 1;
    } else {
      let c = text.indexOf(',', p);
      if (c === -1) c = n;
      cells.push(text.slice(p, c));
      p = c;
    }
    if (p >= n) return cells;
    p++;
    if (p === n) {
      cells.push('');
      return cells;
    }
  }
}
