/**
 * Marketing attribution that agrees with the call's source: paid Google carries a gclid and cpc UTMs,
 * Facebook an fbclid, organic search only a search-engine referrer, direct nothing. Some calls lose
 * their UTM fields while the landing page URL still carries them (the connector backfills from it).
 */
import type { Source } from './pools.js';
import type { Rng } from './prng.js';
import type { SimCall } from './types.js';
import { CAMPAIGNS, CONTENTS, DOMAINS, PATHS, REFERRAL_SITES, SEARCH_REFERRERS, TERMS } from './vocab.js';

/** The marketing attribution fields of a call, filled in together. */
export type Attribution = Pick<
  SimCall,
  | 'utm_source'
  | 'utm_medium'
  | 'utm_campaign'
  | 'utm_term'
  | 'utm_content'
  | 'gclid'
  | 'fbclid'
  | 'msclkid'
  | 'landing_page_url'
  | 'referrer_url'
>;

const CLICK_ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const HEX_CHARS = '0123456789abcdef';

const encoded = new Map<string, string>();

/** Form-encodes a query value; values come from small pools, so each is encoded once. */
function encode(v: string): string {
  let e = encoded.get(v);
  if (e === undefined) {
    e = encodeURIComponent(v).replace(/%20/g, '+');
    if (encoded.size < 10_000) encoded.set(v, e);
  }
  return e;
}

function page(
  rng: Rng,
  params: readonly (readonly [string, string | null])[],
  clickId: readonly [string, string] | null = null,
): string {
  const parts = [rng.pick(DOMAINS), rng.pick(PATHS)];
  for (const [k, v] of params) {
    if (v === null) continue;
    parts.push(parts.length === 2 ? '?' : '&', k, '=', encode(v));
  }
  // Click ids are URL-safe already (and unique: not worth caching).
  if (clickId) parts.push(parts.length === 2 ? '?' : '&', clickId[0], '=', clickId[1]);
  // join() yields one flat string; += would keep a tree of cons strings alive per call.
  return parts.join('');
}

function withUtms(
  a: Attribution,
  rng: Rng,
  utms: [string, string, string | null, string | null, string | null],
  clickId: readonly [string, string] | null,
): void {
  [a.utm_source, a.utm_medium, a.utm_campaign, a.utm_term, a.utm_content] = utms;
  const params: (readonly [string, string | null])[] = [
    ['utm_source', utms[0]],
    ['utm_medium', utms[1]],
    ['utm_campaign', utms[2]],
    ['utm_term', utms[3]],
    ['utm_content', utms[4]],
  ];
  a.landing_page_url = page(rng, params, clickId);
}

/**
 * Fills the attribution fields of `a` (all null on entry) for a call from `source`; `dropUtms` empties
 * the UTM fields but keeps them in landing_page_url.
 */
export function applyAttribution(a: Attribution, rng: Rng, source: Source, dropUtms: boolean): void {
  switch (source) {
    case 'google': {
      a.gclid = rng.pick(['Cj0KCQiA', 'EAIaIQob']) + rng.chars(72, CLICK_ID_CHARS);
      const term = rng.chance(0.7) ? rng.pick(TERMS) : null;
      const content = rng.chance(0.5) ? rng.pick(CONTENTS) : null;
      withUtms(a, rng, ['google', 'cpc', rng.pick(CAMPAIGNS.google), term, content], ['gclid', a.gclid]);
      a.referrer_url = rng.chance(0.6) ? 'https://www.google.com/' : null;
      break;
    }
    case 'facebook': {
      a.fbclid = `IwAR${rng.chars(56, CLICK_ID_CHARS)}`;
      const medium = rng.chance(0.7) ? 'paid_social' : 'social';
      const content = rng.chance(0.6) ? rng.pick(CONTENTS) : null;
      withUtms(
        a,
        rng,
        ['facebook', medium, rng.pick(CAMPAIGNS.facebook), null, content],
        ['fbclid', a.fbclid],
      );
      a.referrer_url = rng.pick(['https://l.facebook.com/', 'https://m.facebook.com/', null]);
      break;
    }
    case 'bing': {
      a.msclkid = rng.chars(32, HEX_CHARS);
      const term = rng.chance(0.8) ? rng.pick(TERMS) : null;
      withUtms(a, rng, ['bing', 'cpc', rng.pick(CAMPAIGNS.bing), term, null], ['msclkid', a.msclkid]);
      a.referrer_url = rng.chance(0.5) ? 'https://www.bing.com/' : null;
      break;
    }
    case 'instagram':
      withUtms(a, rng, ['instagram', 'social', rng.chance(0.5) ? 'ig_stories_ac' : null, null, null], null);
      a.referrer_url = 'https://l.instagram.com/';
      break;
    case 'gmb':
      withUtms(a, rng, ['google', 'organic', 'gmb_listing', null, null], null);
      break;
    case 'organic':
      a.landing_page_url = page(rng, rng.chance(0.1) ? [['ref', 'nav']] : []);
      a.referrer_url = rng.pick(SEARCH_REFERRERS);
      break;
    case 'referral': {
      const tagged = rng.chance(0.4);
      if (tagged) withUtms(a, rng, ['yelp', 'referral', null, null, null], null);
      else a.landing_page_url = page(rng, []);
      a.referrer_url = rng.pick(REFERRAL_SITES);
      break;
    }
    case 'direct':
      // Offline numbers (truck wrap, print) have no web session at all.
      a.landing_page_url = rng.chance(0.6) ? page(rng, []) : null;
      break;
  }
  if (dropUtms && a.utm_source !== null) {
    a.utm_source = a.utm_medium = a.utm_campaign = a.utm_term = a.utm_content = null;
  }
}
