import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { E164Normalizer } from '../../connectors/callscaler/normalize/phone.js';
import { fastE164 } from '../../connectors/callscaler/normalize/phone-fastpath.js';
import { Rng } from '../../connectors/callscaler/simulator/prng.js';

function reference(raw: string): string | null {
  const parsed = parsePhoneNumberFromString(raw, 'US');
  return parsed?.isValid() ? parsed.number : null;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const digits = (rng: Rng, n: number) => rng.chars(n, '0123456789');

/** Area codes outside the US: Canada, and the Caribbean and Pacific members whose ranges go to 7 digits. */
const NON_US_AREA_CODES = [
  204, 236, 250, 289, 306, 343, 403, 416, 418, 438, 514, 600, 604, 613, 647, 709, 780, 819, 867, 902, 905,
  242, 246, 264, 268, 284, 340, 345, 441, 473, 649, 658, 664, 670, 671, 684, 721, 758, 767, 784, 787, 809,
  829, 849, 868, 869, 876, 939,
];

const NANP_FORMATS: readonly ((a: string, b: string, c: string) => string)[] = [
  (a, b, c) => `(${a}) ${b}-${c}`,
  (a, b, c) => `${a}.${b}.${c}`,
  (a, b, c) => `${a}-${b}-${c}`,
  (a, b, c) => `${a} ${b} ${c}`,
  (a, b, c) => `${a}${b}${c}`,
  (a, b, c) => `1${a}${b}${c}`,
  (a, b, c) => `1-${a}-${b}-${c}`,
  (a, b, c) => `1 (${a}) ${b}-${c}`,
  (a, b, c) => `+1 (${a}) ${b}-${c}`,
  (a, b, c) => `+1 ${a} ${b} ${c}`,
  (a, b, c) => `+1.${a}.${b}.${c}`,
  (a, b, c) => `+1-${a}-${b}-${c}`,
  (a, b, c) => `(${a} ${b}-${c}`,
  (a, b, c) => `${a}) ${b}-${c}`,
  (a, b, c) => `(${a})${b}${c}`,
  (a, b, c) => ` ${a}-${b}-${c} `, // padded: not a fast-path shape
  (a, b, c) => `${a}/${b}-${c}`,
];

const OTHER_CALLING_CODES = [
  '7',
  '20',
  '33',
  '34',
  '39',
  '49',
  '52',
  '55',
  '61',
  '81',
  '86',
  '91',
  '234',
  '353',
];

/** Every area code with a quarter of its exchanges, then the other shapes numbers arrive in. */
function generate(rng: Rng): string[] {
  const inputs: string[] = [];
  for (let npa = 200; npa <= 999; npa++) {
    for (let i = 0; i < 250; i++) inputs.push(`+1${npa}${pad(rng.int(0, 999), 3)}${digits(rng, 4)}`);
  }
  for (let i = 0; i < 40_000; i++) {
    inputs.push(`+1${rng.pick(NON_US_AREA_CODES)}${digits(rng, 7)}`);
  }
  for (let i = 0; i < 60_000; i++) {
    const npa = rng.chance(0.9) ? String(rng.int(200, 999)) : digits(rng, 3);
    inputs.push(rng.pick(NANP_FORMATS)(npa, digits(rng, 3), digits(rng, 4)));
  }
  for (let i = 0; i < 40_000; i++) {
    const lead = rng.pick(['1', '2', '3', '5', '7', '7', '8', '9', '0', '180020']);
    inputs.push(`+44${lead}${digits(rng, rng.int(5, 10))}`.slice(0, rng.int(10, 14)));
  }
  for (let i = 0; i < 5_000; i++) {
    inputs.push(
      `+44 ${rng.pick(['20', '(0)20', '7700', '121', '1624'])} ${digits(rng, 3)} ${digits(rng, 4)}`,
    );
  }
  for (let i = 0; i < 25_000; i++) {
    inputs.push(`+${rng.pick(OTHER_CALLING_CODES)}${digits(rng, rng.int(6, 12))}`);
  }
  for (let i = 0; i < 20_000; i++) {
    // Near misses of the fast shapes: one digit short or long, stray signs.
    const n = `${rng.int(200, 999)}${digits(rng, 7)}`;
    const cut = rng.int(1, 13);
    inputs.push(
      rng.pick([
        `+1${n.slice(0, 9)}`,
        `+1${n}${digits(rng, 1)}`,
        `+${n}`,
        `1${n.slice(0, 9)}`,
        `+11${n}`,
        `+1 ${n}`,
        `${n} ext. ${digits(rng, 3)}`,
        `tel:+1${n}`,
        `+1${n}`.slice(0, cut),
      ]),
    );
  }
  for (let i = 0; i < 15_000; i++) {
    inputs.push(rng.chars(rng.int(0, 24), '0123456789+-() .x#*abcTEL'));
  }
  return inputs;
}

describe('fastE164', () => {
  it('answers exactly like the library full parse on 405,000 generated inputs', () => {
    const inputs = generate(new Rng(20_260_301));
    const normalizer = new E164Normalizer();
    const mismatches: string[] = [];
    let decided = 0;
    let decidedValid = 0;
    for (const raw of inputs) {
      const expected = reference(raw);
      const fast = fastE164(raw);
      if (fast !== undefined) {
        decided++;
        if (fast !== null) decidedValid++;
        if (fast !== expected)
          mismatches.push(`${JSON.stringify(raw)}: fast path ${fast}, library ${expected}`);
      }
      const cached = normalizer.toE164(raw);
      if (cached !== expected)
        mismatches.push(`${JSON.stringify(raw)}: toE164 ${cached}, library ${expected}`);
    }
    expect(inputs.length).toBe(405_000);
    expect(mismatches.length, mismatches.slice(0, 5).join('\n')).toBe(0);
    // The fast path must carry the load, with both answers, or the comparison above proves nothing.
    expect(decided).toBeGreaterThan(300_000);
    expect(decidedValid).toBeGreaterThan(100_000);
    expect(decided - decidedValid).toBeGreaterThan(100_000);
  });

  it('leaves to the library what it cannot read as is', () => {
    expect(fastE164('+15125550123')).toBe('+15125550123');
    expect(fastE164('(512) 555-0123')).toBe('+15125550123');
    expect(fastE164('+1 555 123 4567')).toBeNull();
    expect(fastE164('+18765550123')).toBe(reference('+18765550123')); // Jamaica, chosen by leading digits
    expect(fastE164('+442079460958')).toBe('+442079460958');
    expect(fastE164('+4402079460958')).toBeUndefined(); // national prefix: the library strips it
    expect(fastE164('+11234567890')).toBeUndefined();
    expect(fastE164(' 512 555 0123')).toBeUndefined();
    expect(fastE164('+493012345678')).toBeUndefined();
  });
});
