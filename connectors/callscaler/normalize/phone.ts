import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { fastE164 } from './phone-fastpath.js';

/**
 * Phone numbers to E.164 with libphonenumber's full metadata (the `max` bundle checks number ranges per
 * type; `min` mostly checks lengths). Numbers without a country code are read as US numbers.
 *
 * E.164 and the usual North American text forms are answered by phone-fastpath.ts in well under a
 * microsecond, about what a cache lookup costs, so those answers are not cached: caching them filled the
 * cache with caller numbers that never come back (nearly every call has its own), 1-2 µs a row in Map
 * churn and garbage collection. The library's parse costs 7-20 µs, so what only it can answer is cached per
 * distinct input string. The cache is bounded with two generations: lookups fill the current Map; when it is
 * full it becomes the previous one and the older one is dropped; a hit in the previous generation is copied
 * forward. Numbers in use stay, numbers unused for two generations go. (A Map-based exact LRU, deleting
 * from the front, measured ~100x slower: V8 skips the deleted entries on every evict.)
 */
const DEFAULT_COUNTRY = 'US';
/** Longer strings are not phone numbers; refusing them early keeps hostile input out of the cache. */
const MAX_INPUT = 64;

export class E164Normalizer {
  private current = new Map<string, string | null>();
  private previous = new Map<string, string | null>();

  /** Holds at most 2 × `generationSize` inputs. */
  constructor(private readonly generationSize = 10_000) {}

  /** The number in E.164 (`+15125550123`), or null when it is not a valid number. */
  toE164(raw: string | null): string | null {
    if (raw === null || raw.length > MAX_INPUT) return null;
    const fast = fastE164(raw);
    if (fast !== undefined) return fast;
    let e164 = this.current.get(raw);
    if (e164 !== undefined) return e164;
    e164 = this.previous.get(raw);
    if (e164 === undefined) e164 = parseE164(raw);
    this.current.set(raw, e164);
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Map();
    }
    return e164;
  }

  /** Inputs held (one copied forward from the previous generation counts twice). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  has(raw: string): boolean {
    return this.current.has(raw) || this.previous.has(raw);
  }
}

function parseE164(raw: string): string | null {
  try {
    const parsed = parsePhoneNumberFromString(raw, DEFAULT_COUNTRY);
    return parsed?.isValid() ? parsed.number : null;
  } catch {
    // The library returns undefined for garbage; a throw would be its bug, and still not a phone number.
    return null;
  }
}

const shared = new E164Normalizer();

/** E.164 through one process-wide cache: the numbers repeat across pages, windows and runs. */
export function toE164(raw: string | null): string | null {
  return shared.toE164(raw);
}
