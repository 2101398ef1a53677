import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { E164Normalizer, toE164 } from '../../connectors/callscaler/normalize/phone.js';
import { normalizeCall } from '../../connectors/callscaler/normalize/record.js';
import { callsSchema } from '../../connectors/callscaler/schema.js';

describe('toE164', () => {
  it.each([
    ['+1 (512) 555-0123', '+15125550123'],
    ['512.555.0100', '+15125550100'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+44 (0)20 7946 0958', '+442079460958'],
    ['011 44 20 7946 0958', '+442079460958'],
    ['(512) 867-5309', '+15128675309'],
    ['1-512-867-5309', '+15128675309'],
    ['+15125550123', '+15125550123'],
    ['5125550123', '+15125550123'],
    [' +1 512 555 0123 ', '+15125550123'],
    ['tel:+15125550123', '+15125550123'],
    ['+1 512 555 0123 ext. 42', '+15125550123'],
    ['+49 30 12345678', '+493012345678'],
    ['５１２５５５０１２３', '+15125550123'],
    ['garbage', null],
    ['', null],
    ['anonymous', null],
    ['Restricted', null],
    ['12', null],
    ['555-0123', null],
    ['+1 123 456 7890', null], // no US area code starts with 1
    ['+1 555 123 4567', null],
    ['+999 1234567', null],
    ['📞😀', null],
    ['5'.repeat(10_000), null],
    [null, null],
  ])('%s → %s', (raw, e164) => {
    expect(toE164(raw)).toBe(e164);
    expect(toE164(raw)).toBe(e164); // the cached answer is the same answer
  });

  it('answers exactly like the full library parse for North American numbers in any usual format', () => {
    let seed = 7;
    const digit = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed % 10;
    };
    const digits = (n: number) => Array.from({ length: n }, digit).join('');
    const formats = [
      (a: string, b: string, c: string) => `+1${a}${b}${c}`,
      (a: string, b: string, c: string) => `(${a}) ${b}-${c}`,
      (a: string, b: string, c: string) => `${a}.${b}.${c}`,
      (a: string, b: string, c: string) => `1-${a}-${b}-${c}`,
      (a: string, b: string, c: string) => `+1 (${a}) ${b}-${c}`,
      (a: string, b: string, c: string) => `${a}${b}${c}`,
      (a: string, b: string, c: string) => `(${a} ${b}-${c}`,
    ];
    const inputs = Array.from({ length: 1_500 }, (_, i) =>
      formats[i % formats.length](digits(3), digits(3), digits(4)),
    );
    inputs.push(
      '(604) 555-0199',
      '+1 416 555 0123',
      '+1 (441) 292-1234',
      '(787) 555-0100',
      '+1 876 555 0100',
    );
    const reference = (s: string) => {
      const p = parsePhoneNumberFromString(s, 'US');
      return p?.isValid() ? p.number : null;
    };
    const n = new E164Normalizer();
    const mismatches = inputs.filter((s) => n.toE164(s) !== reference(s));
    expect(mismatches).toEqual([]);
    expect(inputs.filter((s) => reference(s) !== null).length).toBeGreaterThan(300); // both valid and invalid seen
    expect(n.toE164('(604) 555-0199')).toBe('+16045550199'); // Canada shares +1: full parse path
  });

  it('caches what the library parses per distinct input, bounded, keeping the numbers in use', () => {
    const n = new E164Normalizer(4);
    // Forms the fast path leaves to the library (a "tel:" prefix, an extension).
    const tracking = 'tel:+1-512-867-5309';
    const callers = Array.from({ length: 50 }, (_, i) => `512-555-${String(1000 + i)} ext. 7`);
    for (const caller of callers) {
      expect(n.toE164(tracking)).toBe('+15128675309');
      expect(n.toE164(caller)).toBe(`+1512555${1000 + callers.indexOf(caller)}`);
      expect(n.size).toBeLessThanOrEqual(8);
    }
    expect(n.has(tracking)).toBe(true); // used on every call: never dropped
    expect(n.has(callers[49])).toBe(true);
    expect(n.has(callers[0])).toBe(false); // unused for two generations: dropped
    n.toE164('x'.repeat(100));
    expect(n.has('x'.repeat(100))).toBe(false); // hostile lengths are never parsed or cached
    // What the fast path answers is not cached: nearly every caller number is seen once.
    expect(n.toE164('+15125550199')).toBe('+15125550199');
    expect(n.toE164('(512) 555-0198')).toBe('+15125550198');
    expect(n.has('+15125550199') || n.has('(512) 555-0198')).toBe(false);
  });

  it('fills the three E.164 columns and keeps the raw numbers as the API sent them', () => {
    const r = normalizeCall(
      {
        id: 'c',
        created_at: '2026-03-01T10:00:00Z',
        caller_number: '512.555.0100',
        tracking_number: '+1 (512) 555-0123',
        destination_number: 'garbage',
      },
      { account: 'default', runId: 'r', syncedAtMs: 0, extract: 'list' },
    );
    const get = (name: string) =>
      r.ok ? r.row[callsSchema.columns.findIndex((c) => c.name === name)] : r.reason;
    expect(
      [
        'caller_number',
        'tracking_number',
        'destination_number',
        'caller_number_e164',
        'tracking_number_e164',
        'destination_number_e164',
      ].map(get),
    ).toEqual(['512.555.0100', '+1 (512) 555-0123', 'garbage', '+15125550100', '+15125550123', null]);
  });
});
