/**
 * A streamed response body read ahead into memory, up to a limit: the export cuts it into pieces while earlier
 * pieces decode, and reading stops (so the server waits) only once `limit` bytes are held.
 *
 * Reading goes on by itself whatever the reader's user is doing, not only while it waits for bytes: when a
 * connection drops, what the HTTP client had received but not yet handed over is lost with it, and the line
 * named as where the body broke off would be too early.
 */
export class BodyBuffer {
  private readonly body: AsyncIterator<Uint8Array>;
  private reading = false;
  private chunks: Buffer[] = [];
  /** Bytes wanted by the current `fill` beyond the limit (a record longer than a piece). */
  private wanted = 0;
  private wake: (() => void) | undefined;
  /** Bytes held. */
  length = 0;
  /** The body has ended. */
  done = false;
  /** Why reading failed (a dropped connection, a timeout); `failed` says whether it did. */
  failure: unknown;
  failed = false;

  constructor(
    body: AsyncIterable<Uint8Array>,
    private readonly limit: number,
  ) {
    this.body = body[Symbol.asyncIterator]();
    this.read();
  }

  /** Waits until `bytes` are held (beyond the limit if need be), or the body ends or fails. Never throws. */
  async fill(bytes: number): Promise<void> {
    this.wanted = bytes;
    this.read();
    while (this.length < bytes && !this.done && !this.failed) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    this.wanted = 0;
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
    this.read();
    return out;
  }

  /** Every byte of the body has been read and taken. */
  get drained(): boolean {
    return this.done && this.length === 0;
  }

  /** One read at a time, while there is room. */
  private read(): void {
    if (this.reading || this.done || this.failed) return;
    if (this.length >= Math.max(this.limit, this.wanted)) return;
    this.reading = true;
    this.body.next().then(
      (next) => {
        this.reading = false;
        if (next.done) this.done = true;
        else if (next.value.byteLength > 0) {
          const v = next.value;
          this.chunks.push(Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength));
          this.length += v.byteLength;
        }
        this.read();
        this.wakeUp();
      },
      (err: unknown) => {
        this.reading = false;
        this.failed = true;
        this.failure = err;
        this.wakeUp();
      },
    );
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
