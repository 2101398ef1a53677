/**
 * A small seeded PRNG (mulberry32). Everything the simulator generates flows from it, so the same seed
 * always yields the same bytes; Math.random is never used.
 */
const HEX_CODES: readonly number[] = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const UUID_CODES: number[] = new Array<number>(36).fill(0);

/** Items with weights, precomputed for repeated draws. */
export interface Weighted<T> {
  readonly items: readonly T[];
  readonly cumulative: readonly number[];
  readonly total: number;
}

export function weights<T>(pairs: readonly (readonly [T, number])[]): Weighted<T> {
  let total = 0;
  const cumulative = pairs.map(([, w]) => (total += w));
  return { items: pairs.map(([item]) => item), cumulative, total };
}

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Derives an independent stream, so adding draws to one stream never shifts another. */
  fork(salt: number): Rng {
    return new Rng(Math.imul(this.state ^ salt, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b));
  }

  uint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks from a weighted table. */
  weighted<T>(table: Weighted<T>): T {
    const r = this.next() * table.total;
    const cum = table.cumulative;
    let i = 0;
    while (i < cum.length - 1 && r >= cum[i]) i++;
    return table.items[i];
  }

  /** A random UUID v4-shaped string (version nibble 4, RFC 4122 variant). */
  uuid(): string {
    const codes = UUID_CODES;
    let pos = 0;
    for (let word = 0; word < 4; word++) {
      let w = this.uint32();
      if (word === 1) w = (w & 0xffff0fff) | 0x4000; // version 4
      if (word === 2) w = (w & 0x3fffffff) | 0x80000000; // RFC 4122 variant
      for (let nibble = 7; nibble >= 0; nibble--) {
        if (pos === 8 || pos === 13 || pos === 18 || pos === 23) codes[pos++] = 45; // '-'
        codes[pos++] = HEX_CODES[(w >>> (nibble * 4)) & 15];
      }
    }
    // One flat string: concatenating 36 pieces would leave a tree of cons strings per id.
    return String.fromCharCode.apply(null, codes);
  }

  /** `n` random characters from `alphabet`. */
  chars(n: number, alphabet: string): string {
    const codes = new Array<number>(n);
    for (let i = 0; i < n; i++) codes[i] = alphabet.charCodeAt(Math.floor(this.next() * alphabet.length));
    return String.fromCharCode.apply(null, codes);
  }
}
