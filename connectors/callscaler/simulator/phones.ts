/**
 * Phone numbers in the formats CNAM and carriers really hand over: E.164, (512) 555-0199, dotted,
 * bare digits, 1-prefixed and a few UK numbers, so the connector's E.164 normalizer has work to do.
 */
import type { Rng } from './prng.js';
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

export function ukNumber(rng: Rng): string {
  return [rng.pick(UK_PREFIXES), String(rng.int(0, 999)).padStart(3, '0')].join('');
}

/** A caller number in a mix of formats; `international` forces a UK number. */
export function callerNumber(rng: Rng, international: boolean): string {
  if (international) return ukNumber(rng);
  const r = rng.next();
  if (r < 0.005) return 'anonymous';
  if (r < 0.03) return ukNumber(rng);
  const d = nanpDigits(rng);
  if (r < 0.5) return formatNanp(d, 'e164');
  if (r < 0.72) return formatNanp(d, 'paren');
  if (r < 0.84) return formatNanp(d, 'dots');
  if (r < 0.94) return formatNanp(d, 'bare');
  return formatNanp(d, 'dashed1');
}
