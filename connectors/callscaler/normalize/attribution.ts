import type { CHANNELS } from '../schema.js';

export type Channel = (typeof CHANNELS)[number];

/** What the channel is decided from. Strings are as the API sent them (or backfilled); null = absent. */
export interface AttributionSignals {
  gclid: string | null;
  msclkid: string | null;
  fbclid: string | null;
  source: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  referrerDomain: string | null;
  landingDomain: string | null;
}

// ---- The tables. Values are compared after `token()`: trimmed, lower case, runs of spaces/dashes as `_`.

/** utm_medium values that mean the click was bought. */
export const PAID_MEDIUMS: ReadonlySet<string> = new Set([
  'cpc',
  'ppc',
  'paid',
  'paidsearch',
  'paid_search',
  'sem',
  'cpm',
  'cpv',
  'display',
  'paid_social',
  'paidsocial',
]);
/** Paid mediums that name social themselves: paid_social even when the source is not a known network. */
export const PAID_SOCIAL_MEDIUMS: ReadonlySet<string> = new Set(['paid_social', 'paidsocial']);
/** `source` / `utm_source` values that name an ad platform rather than a site: paid without a medium. */
export const AD_PLATFORM_SOURCES: ReadonlyMap<string, 'paid_search' | 'paid_social'> = new Map([
  ['google_ads', 'paid_search'],
  ['googleads', 'paid_search'],
  ['adwords', 'paid_search'],
  ['bing_ads', 'paid_search'],
  ['microsoft_ads', 'paid_search'],
  ['facebook_ads', 'paid_social'],
  ['meta_ads', 'paid_social'],
  ['instagram_ads', 'paid_social'],
  ['linkedin_ads', 'paid_social'],
  ['tiktok_ads', 'paid_social'],
]);
export const SOCIAL_MEDIUMS: ReadonlySet<string> = new Set([
  'social',
  'social_media',
  'sm',
  'social_network',
]);
export const ORGANIC_MEDIUMS: ReadonlySet<string> = new Set(['organic']);
export const REFERRAL_MEDIUMS: ReadonlySet<string> = new Set(['referral']);
export const DIRECT_SOURCES: ReadonlySet<string> = new Set(['direct', '(direct)']);

/**
 * Networks by kind. `names` match a source/utm_source value exactly; `domains` match a host or any of its
 * subdomains (`m.facebook.com` is facebook.com); `name.*` matches the name under any country TLD
 * (`google.co.uk`, `google.com.au`, `google.de`).
 */
export interface Network {
  readonly kind: 'social' | 'search';
  readonly names: readonly string[];
  readonly domains: readonly string[];
}
export const NETWORKS: readonly Network[] = [
  {
    kind: 'social',
    names: ['facebook', 'fb', 'meta'],
    domains: ['facebook.com', 'fb.com', 'fb.me', 'messenger.com'],
  },
  { kind: 'social', names: ['instagram', 'ig'], domains: ['instagram.com'] },
  { kind: 'social', names: ['linkedin'], domains: ['linkedin.com', 'lnkd.in'] },
  { kind: 'social', names: ['twitter', 'x'], domains: ['twitter.com', 'x.com', 't.co'] },
  { kind: 'social', names: ['tiktok'], domains: ['tiktok.com'] },
  { kind: 'social', names: ['pinterest'], domains: ['pinterest.*', 'pin.it'] },
  { kind: 'social', names: ['youtube'], domains: ['youtube.com', 'youtu.be'] },
  { kind: 'social', names: ['reddit'], domains: ['reddit.com', 'redd.it'] },
  { kind: 'search', names: ['google'], domains: ['google.*'] },
  { kind: 'search', names: ['bing'], domains: ['bing.com'] },
  { kind: 'search', names: ['yahoo'], domains: ['yahoo.*'] },
  { kind: 'search', names: ['duckduckgo'], domains: ['duckduckgo.com'] },
  { kind: 'search', names: ['baidu'], domains: ['baidu.com'] },
  { kind: 'search', names: ['yandex'], domains: ['yandex.*', 'ya.ru'] },
  { kind: 'search', names: ['ecosia'], domains: ['ecosia.org'] },
];

// ---- The rules, first match wins.

/**
 * 1. A Google or Microsoft Ads click id → paid_search.
 * 2. A paid utm_medium → paid_social when the medium says social or source/utm_source is a social network,
 *    else paid_search; a source naming an ad platform (`google_ads`) likewise.
 * 3. A Facebook click id → paid_social.
 * 4. A social utm_medium, or source/utm_source/referrer a social network → organic_social.
 * 5. utm_medium `organic`, or source/utm_source/referrer a search engine → organic_search.
 * 6. utm_medium `referral`, or a referrer on another site than the landing page (or with no landing
 *    page to compare) → referral.
 * 7. No signal at all (a referrer on the landing page's own site is navigation, not a signal), or source
 *    `direct` → direct.
 * 8. Anything else (email, newsletters, offline, unknown sources) → other.
 */
export function classifyChannel(s: AttributionSignals): Channel {
  if (present(s.gclid) || present(s.msclkid)) return 'paid_search';

  const medium = token(s.utmMedium);
  const source = token(s.source);
  const utmSource = token(s.utmSource);
  const kinds = [kindOfValue(source), kindOfValue(utmSource)];
  if (PAID_MEDIUMS.has(medium)) {
    return PAID_SOCIAL_MEDIUMS.has(medium) || kinds.includes('social') ? 'paid_social' : 'paid_search';
  }
  const platform = AD_PLATFORM_SOURCES.get(source) ?? AD_PLATFORM_SOURCES.get(utmSource);
  if (platform !== undefined) return platform;

  if (present(s.fbclid)) return 'paid_social';

  kinds.push(s.referrerDomain === null ? null : kindOfHost(s.referrerDomain));
  if (SOCIAL_MEDIUMS.has(medium) || kinds.includes('social')) return 'organic_social';
  if (ORGANIC_MEDIUMS.has(medium) || kinds.includes('search')) return 'organic_search';

  const externalReferrer = s.referrerDomain !== null && !sameSite(s.referrerDomain, s.landingDomain);
  if (REFERRAL_MEDIUMS.has(medium) || externalReferrer) return 'referral';

  if (DIRECT_SOURCES.has(source) || DIRECT_SOURCES.has(utmSource)) return 'direct';
  if (source === '' && utmSource === '' && medium === '') return 'direct';
  return 'other';
}

function present(v: string | null): boolean {
  return v !== null && v.trim() !== '';
}

/** '' for null/blank, else trimmed, lower case, spaces and dashes as underscores. */
export function token(v: string | null): string {
  if (v === null) return '';
  return v
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

const NAME_KIND = new Map<string, Network['kind']>();
const DOMAIN_KIND = new Map<string, Network['kind']>();
const ANY_TLD: { kind: Network['kind']; pattern: RegExp }[] = [];
for (const n of NETWORKS) {
  for (const name of n.names) NAME_KIND.set(name, n.kind);
  for (const d of n.domains) {
    if (d.endsWith('.*')) {
      // name.tld or name.sld.cc (co.uk, com.au), as a whole label, under any subdomain.
      ANY_TLD.push({
        kind: n.kind,
        pattern: new RegExp(`(?:^|\\.)${d.slice(0, -2)}\\.[a-z]{2,3}(?:\\.[a-z]{2})?$`),
      });
    } else {
      DOMAIN_KIND.set(d, n.kind);
    }
  }
}

/** The kind of network a host belongs to, trying the host and each parent domain. */
export function kindOfHost(host: string): Network['kind'] | null {
  for (let h = host; ; ) {
    const kind = DOMAIN_KIND.get(h);
    if (kind !== undefined) return kind;
    const dot = h.indexOf('.');
    if (dot < 0) break;
    h = h.slice(dot + 1);
  }
  for (const { kind, pattern } of ANY_TLD) if (pattern.test(host)) return kind;
  return null;
}

/** A source value is a network name (`facebook`) or a host (`m.facebook.com`, `www.google.co.uk`). */
function kindOfValue(v: string): Network['kind'] | null {
  if (v === '') return null;
  const byName = NAME_KIND.get(v);
  if (byName !== undefined) return byName;
  if (!v.includes('.')) return null;
  return kindOfHost(v.startsWith('www.') ? v.slice(4) : v);
}

/** Same site: equal hosts, or one a subdomain of the other (shop.example.com and example.com). */
function sameSite(a: string, b: string | null): boolean {
  if (b === null) return false;
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}
