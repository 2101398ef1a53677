import {
  AD_PLATFORM_SOURCES,
  type AttributionSignals,
  type Channel,
  classifyChannel,
  DIRECT_SOURCES,
  NETWORKS,
  ORGANIC_MEDIUMS,
  PAID_MEDIUMS,
  PAID_SOCIAL_MEDIUMS,
  REFERRAL_MEDIUMS,
  SOCIAL_MEDIUMS,
} from './attribution.js';

/**
 * The rules of `classifyChannel` for people: a Markdown table made from the same tables the code reads, in the
 * order the code tries them. The README's section "How channel is derived" is this text (a test compares them;
 * `npm run docs:channels` rewrites it), and every rule carries an example the tests classify.
 */

export interface ChannelRule {
  readonly when: string;
  readonly channel: Channel;
  /** Signals this rule decides (and no earlier one): its row's example, checked by the tests. */
  readonly example: Partial<AttributionSignals>;
}

const code = (values: Iterable<string>) => [...values].map((v) => `\`${v}\``).join(', ');
/** `x` for one value, `one of x, y` for more. */
const oneOf = (values: Iterable<string>) => {
  const all = [...values];
  return all.length === 1 ? code(all) : `one of ${code(all)}`;
};
const CLICK_ID_WHERE = "the API's field, else the landing page URL's query";
const platformsOf = (channel: Channel) =>
  [...AD_PLATFORM_SOURCES].filter(([, c]) => c === channel).map(([name]) => name);

export const CHANNEL_RULES: readonly ChannelRule[] = [
  {
    when: `a Google or Microsoft Ads click id: \`gclid\` or \`msclkid\` (${CLICK_ID_WHERE})`,
    channel: 'paid_search',
    example: { msclkid: 'Cj0KCQ' },
  },
  {
    when: `\`utm_medium\` is a paid medium (${code(PAID_MEDIUMS)}), and either it names social (${code(PAID_SOCIAL_MEDIUMS)}) or \`source\` / \`utm_source\` is a social network`,
    channel: 'paid_social',
    example: { utmMedium: 'cpc', utmSource: 'facebook' },
  },
  {
    when: '`utm_medium` is a paid medium (as above), otherwise',
    channel: 'paid_search',
    example: { utmMedium: 'ppc', utmSource: 'newsletter' },
  },
  ...(['paid_search', 'paid_social'] as const).map((channel) => ({
    when: `\`source\` or \`utm_source\` names an ad platform: ${oneOf(platformsOf(channel))}`,
    channel,
    example: { source: platformsOf(channel)[0] },
  })),
  {
    when: `a Facebook click id: \`fbclid\` (${CLICK_ID_WHERE})`,
    channel: 'paid_social',
    example: { fbclid: 'IwAR0x' },
  },
  {
    when: `\`utm_medium\` is ${oneOf(SOCIAL_MEDIUMS)}, or \`source\`, \`utm_source\` or the referrer is a social network`,
    channel: 'organic_social',
    example: { referrerDomain: 'm.facebook.com', landingDomain: 'example.com' },
  },
  {
    when: `\`utm_medium\` is ${oneOf(ORGANIC_MEDIUMS)}, or \`source\`, \`utm_source\` or the referrer is a search engine`,
    channel: 'organic_search',
    example: { source: 'google' },
  },
  {
    when: `\`utm_medium\` is ${oneOf(REFERRAL_MEDIUMS)}, or the referrer is another site than the landing page's (or there is no landing page to compare with)`,
    channel: 'referral',
    example: { referrerDomain: 'blog.partner.org', landingDomain: 'example.com' },
  },
  {
    when: `\`source\` or \`utm_source\` is ${oneOf(DIRECT_SOURCES)}, or there is no \`source\`, \`utm_source\` or \`utm_medium\` at all (a referrer on the landing page's own site is navigation, not a signal)`,
    channel: 'direct',
    example: { referrerDomain: 'shop.example.com', landingDomain: 'example.com' },
  },
  {
    when: 'anything else (email, newsletters, offline, unknown sources)',
    channel: 'other',
    example: { source: 'newsletter' },
  },
];

const SIGNAL_NAMES: Readonly<Record<keyof AttributionSignals, string>> = {
  gclid: 'gclid',
  msclkid: 'msclkid',
  fbclid: 'fbclid',
  source: 'source',
  utmSource: 'utm_source',
  utmMedium: 'utm_medium',
  referrerDomain: 'referrer',
  landingDomain: 'landing page',
};

/** A rule's example as classifyChannel sees it: the signals it names, every other one absent. */
export function ruleSignals(rule: ChannelRule): AttributionSignals {
  const absent = Object.fromEntries(Object.keys(SIGNAL_NAMES).map((k) => [k, null]));
  return { ...(absent as unknown as AttributionSignals), ...rule.example };
}

function exampleText(signals: Partial<AttributionSignals>): string {
  const parts = Object.entries(signals).map(
    ([k, v]) => `${SIGNAL_NAMES[k as keyof AttributionSignals]}=${v}`,
  );
  return parts.length === 0 ? 'nothing' : `\`${parts.join(', ')}\``;
}

/**
 * The section's text (without its heading): the rules, then the networks they know. Throws when a rule's
 * example is not classified as the rule says: the table would tell people something the code does not do.
 */
export function channelRulesMarkdown(): string {
  for (const rule of CHANNEL_RULES) {
    const got = classifyChannel(ruleSignals(rule));
    if (got !== rule.channel) throw new Error(`channel rule "${rule.when}": its example gives ${got}`);
  }
  const rules = CHANNEL_RULES.map(
    (r, i) => `| ${i + 1} | ${r.when} | \`${r.channel}\` | ${exampleText(r.example)} |`,
  );
  const networks = NETWORKS.map((n) => `| ${n.kind} | ${code(n.names)} | ${code(n.domains)} |`);
  return [
    'The rules are tried in order and the first that matches decides. `utm_source` and `utm_medium` are the',
    "attributed ones (the API's value, else the landing page URL's); values are compared trimmed, in lower case,",
    'with runs of spaces and dashes read as `_`.',
    '',
    '| # | when | channel | example |',
    '| --- | --- | --- | --- |',
    ...rules,
    '',
    'Networks: a `source` / `utm_source` equal to one of the names, or a host (of `source`, `utm_source` or the',
    'referrer) on one of the domains or a subdomain of it; `name.*` is the name under any country domain',
    '(`google.co.uk`, `google.de`).',
    '',
    '| kind | names | domains |',
    '| --- | --- | --- |',
    ...networks,
  ].join('\n');
}

export const CHANNEL_RULES_START = '<!-- channel-rules:start -->';
export const CHANNEL_RULES_END = '<!-- channel-rules:end -->';

/** `readme` with the text between the channel-rules markers replaced by `channelRulesMarkdown()`. */
export function withChannelRules(readme: string): string {
  const start = readme.indexOf(CHANNEL_RULES_START);
  const end = readme.indexOf(CHANNEL_RULES_END);
  if (start < 0 || end < start) {
    throw new Error(`README has no ${CHANNEL_RULES_START} ... ${CHANNEL_RULES_END} section`);
  }
  const before = readme.slice(0, start + CHANNEL_RULES_START.length);
  return `${before}\n${channelRulesMarkdown()}\n${readme.slice(end)}`;
}
