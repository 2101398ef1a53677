/**
 * The account's fixed setup: tracking numbers, number groups and call flows. Calls reference these
 * shared objects, which is what makes the number_id / call_flow_id / number_group_id filters meaningful.
 */
import { formatNanp, nanpDigits } from './phones.js';
import { type Rng, weights } from './prng.js';
import type { PhoneFormat } from './types.js';

export const SOURCES = [
  'google',
  'facebook',
  'bing',
  'organic',
  'direct',
  'referral',
  'instagram',
  'gmb',
] as const;
export type Source = (typeof SOURCES)[number];

export const SOURCES_BY_WEIGHT = weights<Source>([
  ['google', 30],
  ['facebook', 12],
  ['bing', 6],
  ['organic', 18],
  ['direct', 14],
  ['referral', 8],
  ['instagram', 4],
  ['gmb', 8],
]);

export interface CallFlow {
  readonly id: string;
  readonly name: string;
  readonly destination: string;
}

export interface TrackingNumber {
  readonly id: string;
  readonly number: string;
  readonly name: string;
  readonly groupId: string;
  readonly flow: CallFlow;
}

export interface AccountPools {
  flows: CallFlow[];
  groups: { id: string; name: string }[];
  numbers: TrackingNumber[];
  /** Tracking numbers per source (DNI pools are per source). */
  bySource: Record<Source, TrackingNumber[]>;
}

const GROUPS = ['Paid Search', 'Paid Social', 'Organic', 'Offline'] as const;
const FLOWS = ['Main IVR', 'After Hours', 'Sales "Hot" Leads, Round Robin', 'Emergency Line'];
const NUMBERS: readonly [Source, string, (typeof GROUPS)[number]][] = [
  ['google', 'Google Ads - Main', 'Paid Search'],
  ['google', 'Google Ads - Water Heaters', 'Paid Search'],
  ['bing', 'Bing Ads', 'Paid Search'],
  ['facebook', 'Facebook Lead Ads', 'Paid Social'],
  ['instagram', 'Instagram Bio Link', 'Paid Social'],
  ['organic', 'Website (Organic), Austin TX', 'Organic'],
  ['gmb', 'Google Business Profile', 'Organic'],
  ['referral', 'Yelp / Angi Listings', 'Organic'],
  ['direct', 'Truck Wrap', 'Offline'],
  ['direct', 'Website Header', 'Offline'],
];

/** The account's setup; 'e164' draws the same numbers but writes all of them in E.164. */
export function buildPools(rng: Rng, phoneFormat: PhoneFormat = 'mixed'): AccountPools {
  const e164 = phoneFormat === 'e164';
  const groups = GROUPS.map((name) => ({ id: rng.uuid(), name }));
  const flows = FLOWS.map((name) => ({
    id: rng.uuid(),
    name,
    // Both draws happen in either format, so the rest of the stream stays the same.
    destination: formatNanp(nanpDigits(rng), rng.chance(0.5) || e164 ? 'e164' : 'paren'),
  }));
  const bySource = Object.fromEntries(SOURCES.map((s) => [s, [] as TrackingNumber[]])) as Record<
    Source,
    TrackingNumber[]
  >;
  const numbers = NUMBERS.map(([source, name, group], i) => {
    const n: TrackingNumber = {
      id: rng.uuid(),
      // Most accounts show E.164; a couple of numbers were entered by hand in local format.
      number: formatNanp(nanpDigits(rng), i % 4 === 3 && !e164 ? 'paren' : 'e164'),
      name,
      groupId: groups.find((g) => g.name === group)!.id,
      flow: flows[i % flows.length],
    };
    bySource[source].push(n);
    return n;
  });
  return { flows, groups, numbers, bySource };
}
