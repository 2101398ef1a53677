const STOP = Symbol('stop');

/**
 * A streamed response body read into memory as far as asked and no further: the export cuts it into pieces
 * while earlier pieces decode, and stops reading (so the server waits) once a piece is ready.
 */
export class BodyBuffer {
  private readonly body: AsyncIterator<Uint8Array>;
  /** A read that is still under way (the wait for it may have ended first). */
  private reading: Promise<IteratorResult<Uint8Array>> | undefined;
  private chunks: Buffer[] = [];
  /** Bytes held. */
  length = 0;
  /** The body has ended. */
  done = false;
  /** Why reading failed (a dropped connection, a timeout); `failed` says whether it did. */
  failure: unknown;
  failed = false;

  constructor(body: AsyncIterable<Uint8Array>) {
    this.body = body[Symbol.asyncIterator]();
  }

  /** Reads until `bytes` are held, the body ends or fails, or `until` settles. Never throws: see `failure`. */
  async fill(bytes: number, until?: Promise<unknown>): Promise<void> {
    const stopped = (): typeof STOP => STOP;
    const stop = until?.then(stopped, stopped);
    while (this.length < bytes && !this.done && !this.failed) {
      if (this.reading === undefined) {
        this.reading = this.body.next();
        this.reading.catch(() => undefined); // awaited below, maybe on a later call
      }
      let next: IteratorResult<Uint8Array> | typeof STOP;
      try {
        next = stop ? await Promise.race([this.reading, stop]) : await this.reading;
      } catch (err) {
        this.reading = undefined;
        this.failed = true;
        this.failure = err;
        return;
      }
      if (next === STOP) return;
      this.reading = undefined;
      if (next.done) this.done = true;
      else if (next.value.byteLength > 0) {
        const v = next.value;
        this.chunks.push(Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength));
        this.length += v.byteLength;
      }
    }
  }

  /** The first `bytes` bytes held (all of them when fewer), handed over. */
  take(bytes = Number.POSITIVE_INFINITY): Buffer[] {
    const out: Buffer[] = [];
    let taken = 0;
    while (this.chunks.length > 0 && taken < bytes) {
      const c = this.chunks[0];
      if (taken + c.length <= bytes) {
        out.push(c);
        this.chunks.shift();
        taken += c.length;
      } else {
        out.push(c.subarray(0, bytes - taken));
        this.chunks[0] = c.subarray(bytes - taken);
        taken = bytes;
      }
    }
    this.length -= taken;
    return out;
  }

  /** Every byte of the body has been read and taken. */
  get drained(): boolean {
    return this.done && this.length === 0;
  }
}
