/**
 * A validity bitmap (bit set = value present) that grows with its column. Every append writes its bit,
 * set or clear, so the buffer can be reused across batches without zeroing.
 */
export class Validity {
  private bits = new Uint8Array(128);
  nullCount = 0;

  set(index: number, valid: boolean): void {
    const byte = index >> 3;
    if (byte >= this.bits.length) this.grow(byte + 1);
    const mask = 1 << (index & 7);
    if (valid) this.bits[byte] |= mask;
    else {
      this.bits[byte] &= ~mask;
      this.nullCount++;
    }
  }

  isValid(index: number): boolean {
    return (this.bits[index >> 3] & (1 << (index & 7))) !== 0;
  }

  /** Forgets entries at `length` and beyond (rolls back a half-appended row). */
  truncate(length: number, oldLength: number): void {
    for (let i = length; i < oldLength; i++) if (!this.isValid(i)) this.nullCount--;
  }

  /** An exact-size copy for `length` entries with padding bits cleared, or undefined when nothing is null. */
  finish(length: number): Uint8Array | undefined {
    return this.nullCount === 0 ? undefined : this.copy(length);
  }

  /** An exact-size copy of the first `length` bits, padding bits cleared. */
  copy(length: number): Uint8Array {
    if ((length + 7) >> 3 > this.bits.length) this.grow((length + 7) >> 3);
    const out = this.bits.slice(0, (length + 7) >> 3);
    if (length & 7) out[out.length - 1] &= (1 << (length & 7)) - 1;
    return out;
  }

  reset(): void {
    this.nullCount = 0;
  }

  private grow(minBytes: number): void {
    const next = new Uint8Array(Math.max(minBytes, this.bits.length * 2));
    next.set(this.bits);
    this.bits = next;
  }
}
