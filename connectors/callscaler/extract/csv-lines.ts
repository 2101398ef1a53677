import { capRaw, MAX_RAW_LENGTH } from '../../../src/connector/reject.js';

/**
 * The bytes of a CSV body as the reader sees them: the window of bytes it still needs, line breaks (LF, CRLF
 * and a lone CR each end one line), and rejects made of whole lines.
 */

export const LF = 0x0a;
export const CR = 0x0d;

export interface CsvReject {
  readonly line: number;
  readonly raw: string;
  readonly reason: string;
}

/** The body's bytes from the record in progress on, as received (no copy until a range spans chunks). */
export class ByteWindow {
  private chunks: Buffer[] = [];
  private start: number;
  /** Bytes received so far: the offset just past the last one. */
  end: number;

  /** `start`: the body offset of the first byte pushed (a reader resumed part-way through a body). */
  constructor(start = 0) {
    this.start = start;
    this.end = start;
  }

  push(buf: Buffer): void {
    this.chunks.push(buf);
    this.end += buf.length;
  }

  /** Bytes [from, to) of the body; `from` must not be before what was dropped. */
  take(from: number, to = this.end): Buffer {
    const parts: Buffer[] = [];
    let offset = this.start;
    for (const c of this.chunks) {
      const cEnd = offset + c.length;
      if (cEnd > from && offset < to) {
        parts.push(c.subarray(Math.max(0, from - offset), Math.min(c.length, to - offset)));
      }
      offset = cEnd;
      if (offset >= to) break;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  /** Forgets the bytes before `offset`: the records there are done with. */
  dropBefore(offset: number): void {
    while (this.chunks.length > 0 && this.start + this.chunks[0].length <= offset) {
      this.start += this.chunks[0].length;
      this.chunks.shift();
    }
  }

  endsWithLineBreak(): boolean {
    const last = this.chunks[this.chunks.length - 1];
    return last !== undefined && endsWithBreak(last);
  }
}

/** A RejectRegion still open, as plain data: it travels with a reader's state to another thread. */
export interface RegionState {
  readonly line: number;
  readonly reason: string;
  readonly lastLine: number;
  /** The text kept so far (at most MAX_RAW_LENGTH + 1 bytes: enough to tell whether it was cut). */
  readonly bytes: Uint8Array;
}

/** One reject made of consecutive lines: the first line's number and reason, the text of all (capped). */
export class RejectRegion {
  private readonly parts: Buffer[] = [];
  private size = 0;
  private lastLine: number;

  constructor(
    private readonly line: number,
    private readonly reason: string,
  ) {
    this.lastLine = line;
  }

  static from(s: RegionState): RejectRegion {
    const region = new RejectRegion(s.line, s.reason);
    region.add(s.lastLine, Buffer.from(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength));
    return region;
  }

  /**
   * The region as plain data. Its text is cut to MAX_RAW_LENGTH + 1 bytes: `add` and `toReject` only ever
   * look at the first MAX_RAW_LENGTH bytes and at whether there are more, so the region it restores rejects
   * the same.
   */
  state(): RegionState {
    const all = Buffer.concat(this.parts);
    const bytes = new Uint8Array(all.subarray(0, MAX_RAW_LENGTH + 1));
    return { line: this.line, reason: this.reason, lastLine: this.lastLine, bytes };
  }

  add(lastLine: number, bytes: Buffer): void {
    this.lastLine = lastLine;
    if (this.size > MAX_RAW_LENGTH) return;
    this.parts.push(bytes);
    this.size += bytes.length;
  }

  toReject(): CsvReject {
    const all = Buffer.concat(this.parts);
    const raw = withoutLineBreak(all.subarray(0, MAX_RAW_LENGTH)).toString('utf8');
    const more = this.lastLine - this.line;
    return {
      line: this.line,
      raw: capRaw(raw, all.length > MAX_RAW_LENGTH),
      reason:
        more > 0
          ? `${this.reason}; rejected with the ${more} line${more === 1 ? '' : 's'} after it`
          : this.reason,
    };
  }
}

export function endsWithBreak(b: Buffer): boolean {
  const last = b[b.length - 1];
  return last === LF || last === CR;
}

export function withoutLineBreak(b: Buffer): Buffer {
  let n = b.length;
  if (n > 0 && b[n - 1] === LF) n--;
  if (n > 0 && b[n - 1] === CR) n--;
  return n === b.length ? b : b.subarray(0, n);
}

/** Blank lines before a record: the tokenizer skips them, the line count must not. */
export function leadingBreaks(b: Buffer): { bytes: number; lines: number } {
  let i = 0;
  let lines = 0;
  while (i < b.length && (b[i] === LF || b[i] === CR)) {
    i += b[i] === CR && b[i + 1] === LF ? 2 : 1;
    lines++;
  }
  return { bytes: i, lines };
}

/** Line breaks in `b`: LF, CRLF and a lone CR each count one. */
export function countBreaks(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(LF); i !== -1; i = b.indexOf(LF, i + 1)) n++;
  for (let i = b.indexOf(CR); i !== -1; i = b.indexOf(CR, i + 1)) if (b[i + 1] !== LF) n++;
  return n;
}
