/**
 * Word lists for the generator: a home-services business in Texas that buys Google, Facebook and Bing
 * ads. The awkward entries (unicode, commas, quotes, line breaks) are deliberate: they are what breaks
 * CSV writers, JSON parsers and column builders in the wild.
 */
import type { AiCategory } from './types.js';

export const FIRST_NAMES = [
  'James',
  'Maria',
  'Robert',
  'Linda',
  'Michael',
  'Patricia',
  'David',
  'Jennifer',
  'Carlos',
  'Ashley',
  'Daniel',
  'Emily',
  'Luis',
  'Sarah',
  'Kevin',
  'Jessica',
  'Brian',
  'Amanda',
  'Jorge',
  'Megan',
];
export const LAST_NAMES = [
  'Smith',
  'Garcia',
  'Johnson',
  'Martinez',
  'Brown',
  'Rodriguez',
  'Davis',
  'Lopez',
  'Wilson',
  'Nguyen',
  'Anderson',
  'Hernandez',
  'Taylor',
  'Moore',
  'Lee',
  'Walker',
  'Hall',
  'Young',
  'King',
  'Wright',
];

/** CNAM often returns a place or a carrier label instead of a person. */
export const CNAM_LABELS = [
  'WIRELESS CALLER',
  'AUSTIN TX',
  'SAN ANTONIO TX',
  'ROUND ROCK TX',
  'UNKNOWN NAME',
];

export const UNICODE_NAMES = [
  'José Müller',
  '李小龍',
  'Zoë Ångström 🦄',
  'Nguyễn Văn Anh',
  'محمد الأحمد',
  'Renée O’Connor',
  'Dr. Łukasz Żółć',
  '🔥 Hot Lead 🔥',
];

/** Names that need CSV quoting: commas, double quotes, LF and CRLF. */
export const AWKWARD_NAMES = [
  'Smith, John "Jack"',
  'ACME "Plumbing" Supply\nBilling Dept',
  'Doe,\r\nJane',
  '"The Boss" Hernandez\r\nCell',
  "O'Brien, Patrick",
];

export const AGENTS = ['Tyler', 'Brianna', 'Marcus', 'Sofía', 'Dale'];

export const AREA_CODES = ['512', '737', '210', '214', '469', '713', '281', '832', '254', '361'];

/** UK drama-range numbers (Ofcom reserves 020 7946 0xxx for fiction). */
export const UK_PREFIXES = ['+44 20 7946 0', '+4420 7946 0', '+44 113 496 0', '+44 161 496 0'];

export const KEYWORDS: Record<AiCategory, readonly string[]> = {
  lead: [
    'quote',
    'estimate',
    'appointment',
    'emergency',
    'water heater',
    'same day',
    'financing',
    'AC repair',
  ],
  existing_customer: ['invoice', 'warranty', 'reschedule', 'technician', 'follow up'],
  spam: ['google listing', 'press one', 'final notice', 'warranty'],
  wrong_number: ['wrong number'],
  voicemail: ['call back', 'quote', 'emergency'],
};

export const PROBLEMS = [
  'water heater is leaking all over the garage',
  'AC stopped blowing cold air',
  'kitchen drain keeps backing up',
  'toilet won’t stop running',
  'furnace makes a banging noise',
  'water heater quit, there is no hot water at all',
];

export const DOMAINS = [
  'https://www.lonestarplumbing.com',
  'https://lonestarplumbing.com',
  'https://offers.lonestarplumbing.com',
  'https://www.lonestarhvac.co',
];

export const PATHS = [
  '/',
  '/water-heater-repair',
  '/ac-repair/austin',
  '/emergency-plumber',
  '/contact-us',
  '/services/drain-cleaning',
  '/blog/how-to-fix-a-leaky-faucet',
  '/financing',
];

export const CAMPAIGNS: Record<'google' | 'bing' | 'facebook', readonly string[]> = {
  google: ['brand_exact', 'water_heaters_austin', 'emergency_plumbing_2026', 'pmax-hvac-fall'],
  bing: ['bing_brand', 'bing_water_heaters'],
  facebook: ['fb_leadgen_fall', 'retargeting_30d', 'ig_stories_ac'],
};

export const TERMS = [
  'emergency plumber near me',
  'water heater repair',
  'ac repair austin',
  'plumber',
  'drain cleaning',
];
export const CONTENTS = ['rsa-1', 'rsa-2', 'ad_variant_b', 'carousel', 'video_15s'];

export const REFERRAL_SITES = [
  'https://www.yelp.com/biz/lone-star-plumbing-austin',
  'https://nextdoor.com/pages/lone-star-plumbing/',
  'https://www.angi.com/companylist/us/tx/austin/lone-star-plumbing.htm',
  'https://www.bbb.org/us/tx/austin/profile/plumber/lone-star-plumbing',
];
export const SEARCH_REFERRERS = [
  'https://www.google.com/',
  'https://www.google.com/',
  'https://www.bing.com/',
  'https://duckduckgo.com/',
];
