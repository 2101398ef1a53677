import { describe, expect, it } from 'vitest';
import {
  type AttributionSignals,
  classifyChannel,
} from '../../connectors/callscaler/normalize/attribution.js';
import { normalizeCall } from '../../connectors/callscaler/normalize/record.js';
import { callsSchema } from '../../connectors/callscaler/schema.js';

const none: AttributionSignals = {
  gclid: null,
  msclkid: null,
  fbclid: null,
  source: null,
  utmSource: null,
  utmMedium: null,
  referrerDomain: null,
  landingDomain: 'example.com',
};

describe('classifyChannel', () => {
  it.each([
    // 1. Google / Microsoft click ids
    ['gclid', { gclid: 'EAIaIQ' }, 'paid_search'],
    ['msclkid', { msclkid: 'abc' }, 'paid_search'],
    ['gclid beats fbclid and social', { gclid: 'x', fbclid: 'y', source: 'facebook' }, 'paid_search'],
    ['blank gclid is no click id', { gclid: '  ' }, 'direct'],
    // 2. paid mediums (and ad-platform sources)
    ['cpc from google', { utmMedium: 'cpc', utmSource: 'google' }, 'paid_search'],
    ['CPC with source facebook', { utmMedium: 'CPC', source: 'facebook' }, 'paid_social'],
    ['ppc from m.facebook.com', { utmMedium: 'ppc', utmSource: 'm.facebook.com' }, 'paid_social'],
    [
      'paid_social medium, unknown source',
      { utmMedium: 'paid_social', utmSource: 'newsletter' },
      'paid_social',
    ],
    ['Paid-Social spelled loosely', { utmMedium: ' Paid-Social ' }, 'paid_social'],
    ['display from bing', { utmMedium: 'display', utmSource: 'bing' }, 'paid_search'],
    ['cpm from tiktok', { utmMedium: 'cpm', utmSource: 'tiktok' }, 'paid_social'],
    [
      'cpc, source google, utm_source facebook',
      { utmMedium: 'cpc', source: 'google', utmSource: 'facebook' },
      'paid_social',
    ],
    ['paid medium beats fbclid-less referrer', { utmMedium: 'paid', referrerDomain: 't.co' }, 'paid_search'],
    ['source google_ads', { source: 'google_ads' }, 'paid_search'],
    ['utm_source Facebook Ads', { utmSource: 'Facebook Ads' }, 'paid_social'],
    // 3. Facebook click id
    ['fbclid', { fbclid: 'IwAR' }, 'paid_social'],
    ['fbclid beats social medium', { fbclid: 'IwAR', utmMedium: 'social' }, 'paid_social'],
    // 4. organic social
    ['social medium', { utmMedium: 'social' }, 'organic_social'],
    ['Social Media medium', { utmMedium: 'Social Media' }, 'organic_social'],
    ['sm medium', { utmMedium: 'sm' }, 'organic_social'],
    ['source instagram', { source: 'instagram' }, 'organic_social'],
    ['utm_source x', { utmSource: 'x' }, 'organic_social'],
    ['referrer l.facebook.com', { referrerDomain: 'l.facebook.com' }, 'organic_social'],
    ['referrer fb.com', { referrerDomain: 'fb.com' }, 'organic_social'],
    ['referrer t.co', { referrerDomain: 't.co' }, 'organic_social'],
    ['referrer lnkd.in', { referrerDomain: 'lnkd.in' }, 'organic_social'],
    ['referrer youtube.com (not search)', { referrerDomain: 'youtube.com' }, 'organic_social'],
    ['referrer pinterest.co.uk', { referrerDomain: 'pinterest.co.uk' }, 'organic_social'],
    [
      'social referrer beats search source',
      { source: 'google', referrerDomain: 'reddit.com' },
      'organic_social',
    ],
    // 5. organic search
    ['organic medium', { utmMedium: 'organic', utmSource: 'newsletter' }, 'organic_search'],
    ['source google', { source: 'google' }, 'organic_search'],
    ['source Google with spaces', { source: ' Google ' }, 'organic_search'],
    ['utm_source www.bing.com', { utmSource: 'www.bing.com' }, 'organic_search'],
    ['referrer google.co.uk', { referrerDomain: 'google.co.uk' }, 'organic_search'],
    ['referrer google.com.au', { referrerDomain: 'google.com.au' }, 'organic_search'],
    ['referrer search.yahoo.com', { referrerDomain: 'search.yahoo.com' }, 'organic_search'],
    ['referrer duckduckgo.com', { referrerDomain: 'duckduckgo.com' }, 'organic_search'],
    ['referrer yandex.ru', { referrerDomain: 'yandex.ru' }, 'organic_search'],
    ['referrer ecosia.org', { referrerDomain: 'ecosia.org' }, 'organic_search'],
    ['source baidu', { source: 'baidu' }, 'organic_search'],
    // 6. referral
    ['referral medium', { utmMedium: 'referral', utmSource: 'partner' }, 'referral'],
    ['referrer on another domain', { referrerDomain: 'partner.org' }, 'referral'],
    ['look-alike of google', { referrerDomain: 'notgoogle.com' }, 'referral'],
    ['google as a subdomain of another site', { referrerDomain: 'google.com.evil.io' }, 'referral'],
    [
      'referrer, no landing page to compare',
      { referrerDomain: 'example.com', landingDomain: null },
      'referral',
    ],
    ['referral beats source direct', { source: 'direct', referrerDomain: 'partner.org' }, 'referral'],
    // 7. direct
    ['nothing at all', {}, 'direct'],
    ['source direct', { source: 'direct' }, 'direct'],
    ['source Direct, any case', { source: 'Direct' }, 'direct'],
    ['GA style (direct)/(none)', { utmSource: '(direct)', utmMedium: '(none)' }, 'direct'],
    ['own site as referrer', { referrerDomain: 'example.com' }, 'direct'],
    ['own subdomain as referrer', { referrerDomain: 'blog.example.com' }, 'direct'],
    ['blank source', { source: '   ' }, 'direct'],
    // 8. other
    ['newsletter source', { source: 'newsletter' }, 'other'],
    ['email medium', { utmMedium: 'email', utmSource: 'mailchimp' }, 'other'],
    ['a source named like a prototype key', { source: 'constructor' }, 'other'],
    ['offline source', { source: 'billboard', referrerDomain: 'example.com' }, 'other'],
  ] as const)('%s → %s', (_name, signals, channel) => {
    expect(classifyChannel({ ...none, ...signals })).toBe(channel);
  });
});

describe('channel in normalizeCall', () => {
  const CHANNEL = callsSchema.columns.findIndex((c) => c.name === 'channel');
  const channelOf = (fields: Record<string, unknown>) => {
    const r = normalizeCall(
      { id: 'c', created_at: '2026-03-01T10:00:00Z', ...fields },
      {
        account: 'default',
        runId: 'r',
        syncedAtMs: 0,
        extract: 'list',
      },
    );
    return r.ok ? r.row[CHANNEL] : r.reason;
  };

  it.each([
    [
      'a gclid only in the landing URL',
      { landing_page_url: 'https://example.com/?gclid=abc' },
      'paid_search',
    ],
    [
      'an fbclid only in the landing URL',
      { landing_page_url: 'https://example.com/?fbclid=IwAR' },
      'paid_social',
    ],
    [
      'UTMs only in the landing URL',
      { landing_page_url: 'https://example.com/?utm_source=facebook&utm_medium=cpc' },
      'paid_social',
    ],
    [
      'API utm_medium beats the URL',
      { utm_medium: 'email', landing_page_url: 'https://example.com/?utm_medium=cpc' },
      'other',
    ],
    [
      'referrer URL on another host',
      { referrer_url: 'https://www.partner.org/list', landing_page_url: 'https://example.com/' },
      'referral',
    ],
    [
      'referrer URL on the same host',
      { referrer_url: 'https://www.example.com/a', landing_page_url: 'https://example.com/b' },
      'direct',
    ],
    ['hostile referrer is no referrer', { referrer_url: 'javascript:alert(1)', source: 'direct' }, 'direct'],
    [
      'search referrer URL',
      { referrer_url: 'https://www.google.de/search?q=x', landing_page_url: 'https://example.com/' },
      'organic_search',
    ],
  ])('%s → %s', (_name, fields, channel) => {
    expect(channelOf(fields)).toBe(channel);
  });
});
