/**
 * Phone numbers in the formats CNAM and carriers really hand over: E.164, (512) 555-0199, dotted,
 * bare digits, 1-prefixed and a few UK numbers, so the connector's E.164 normalizer has work to do.
 * The 'e164' phone format draws exactly the same random numbers and only writes them as E.164, so a
 * dataset differs from its 'mixed' twin in the number formats alone.
 */
import type { Rng } from './prng.js';
import type { PhoneFormat } from './types.js';
import { AREA_CODES, UK_PREFIXES } from './vocab.js';

/** A valid-looking NANP number as 10 digits (exchange never starts with 0/1, never N11). */
export function nanpDigits(rng: Rng): string {
  let exchange: number;
  do exchange = rng.int(200, 999);
  while (exchange % 100 === 11);
  return rng.pick(AREA_CODES) + exchange + String(rng.int(0, 9999)).padStart(4, '0');
}

export function formatNanp(d: string, style: 'e164' | 'paren' | 'dots' | 'bare' | 'dashed1'): string {
  const a = d.slice(0, 3);
  const b = d.slice(3, 6);
  const c = d.slice(6);
  // join() keeps each number one flat string (concatenation past 13 chars builds cons-string trees).
  switch (style) {
    case 'e164':
      return ['+1', d].join('');
    case 'paren':
      return ['(', a, ') ', b, '-', c].join('');
    case 'dots':
      return [a, b, c].join('.');
    case 'bare':
      return d;
    case 'dashed1':
      return ['1', a, b, c].join('-');
  }
}

export function ukNumber(rng: Rng, e164 = false): string {
  const n = [rng.pick(UK_PREFIXES), String(rng.int(0, 999)).padStart(3, '0')].join('');
  return e164 ? n.replace(/ /g, '') : n;
}

function hashText(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A fictional NANP number (555-0100..0199) derived from `key`, without drawing from the stream. */
export function fictionalE164(key: string): string {
  const h = hashText(key);
  return [
    '+1',
    AREA_CODES[h % AREA_CODES.length],
    '55501',
    String(Math.floor(h / 16) % 100).padStart(2, '0'),
  ].join('');
}

/**
 * A caller number in a mix of formats; `international` forces a UK number. In the 'e164' format every
 * number is E.164, and an anonymous caller gets a fictional number derived from `callId`.
 */
export function callerNumber(
  rng: Rng,
  international: boolean,
  format: PhoneFormat = 'mixed',
  callId = '',
): string {
  const e164 = format === 'e164';
  if (international) return ukNumber(rng, e164);
  const r = rng.next();
  if (r < 0.005) return e164 ? fictionalE164(callId) : 'anonymous';
  if (r < 0.03) return ukNumber(rng, e164);
  const d = nanpDigits(rng);
  if (e164 || r < 0.5) return formatNanp(d, 'e164');
  if (r < 0.72) return formatNanp(d, 'paren');
  if (r < 0.84) return formatNanp(d, 'dots');
  if (r < 0.94) return formatNanp(d, 'bare');
  return formatNanp(d, 'dashed1');
}
