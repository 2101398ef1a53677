/**
 * Marketing attribution that agrees with the call's source: paid Google carries a gclid and cpc UTMs,
 * Facebook an fbclid, organic search only a search-engine referrer, direct nothing. Some calls lose
 * their UTM fields while the landing page URL still carries them (the connector backfills from it).
 */
import type { Source } from './pools.js';
import type { Rng } from './prng.js';
import { CAMPAIGNS, CONTENTS, DOMAINS, PATHS, REFERRAL_SITES, SEARCH_REFERRERS, TERMS } from './vocab.js';

export interface Attribution {
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  gclid: string | null;
  fbclid: string | null;
  msclkid: string | null;
  landing_page_url: string | null;
  referrer_url: string | null;
}

const CLICK_ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const HEX_CHARS = '0123456789abcdef';

function encode(v: string): string {
  return encodeURIComponent(v).replace(/%20/g, '+');
}

function page(rng: Rng, params: readonly (readonly [string, string | null])[]): string {
  let url = rng.pick(DOMAINS) + rng.pick(PATHS);
  let sep = '?';
  for (const [k, v] of params) {
    if (v === null) continue;
    url += `${sep}${k}=${encode(v)}`;
    sep = '&';
  }
  return url;
}

function empty(): Attribution {
  return {
    utm_source: null,
    utm_medium: null,
    utm_campaign: null,
    utm_term: null,
    utm_content: null,
    gclid: null,
    fbclid: null,
    msclkid: null,
    landing_page_url: null,
    referrer_url: null,
  };
}

function withUtms(
  a: Attribution,
  rng: Rng,
  utms: [string, string, string | null, string | null, string | null],
  clickId: readonly [string, string] | null,
): Attribution {
  [a.utm_source, a.utm_medium, a.utm_campaign, a.utm_term, a.utm_content] = utms;
  const params: [string, string | null][] = [
    ['utm_source', utms[0]],
    ['utm_medium', utms[1]],
    ['utm_campaign', utms[2]],
    ['utm_term', utms[3]],
    ['utm_content', utms[4]],
  ];
  if (clickId) params.push(clickId);
  a.landing_page_url = page(rng, params);
  return a;
}

/** Attribution for one call; `dropUtms` empties the UTM fields but keeps them in landing_page_url. */
export function attributionFor(rng: Rng, source: Source, dropUtms: boolean): Attribution {
  const a = empty();
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
      withUtms(a, rng, ['facebook', medium, rng.pick(CAMPAIGNS.facebook), null, content], ['fbclid', a.fbclid]);
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
  return a;
}
