import type { ColumnValue } from '../../../src/schema/table.js';
import { UTM_FIELDS } from '../schema.js';
import { classifyChannel } from './attribution.js';
import { col } from './layout.js';
import { toE164 } from './phone.js';
import type { DayOf } from './timezone.js';
import { domainOf, parseWebUrl, pathOf, queryParam } from './url.js';

const C = {
  createdAt: col('created_at'),
  landingUrl: col('landing_page_url'),
  referrerUrl: col('referrer_url'),
  source: col('source'),
  gclid: col('gclid'),
  msclkid: col('msclkid'),
  fbclid: col('fbclid'),
  callerNumber: col('caller_number'),
  trackingNumber: col('tracking_number'),
  destinationNumber: col('destination_number'),
  callDate: col('call_date'),
  channel: col('channel'),
  landingDomain: col('landing_page_domain'),
  landingPath: col('landing_page_path'),
  referrerDomain: col('referrer_domain'),
  callerE164: col('caller_number_e164'),
  trackingE164: col('tracking_number_e164'),
  destinationE164: col('destination_number_e164'),
};
const UTM = UTM_FIELDS.map((name) => ({ name, api: col(name), attributed: col(`attributed_${name}`) }));

/** The value when it is a non-blank string, else null. */
function nonBlank(v: ColumnValue): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/**
 * Fills the derived columns of a row whose API columns are set. Never throws: a value it cannot
 * interpret gives NULL, the API's own column keeps what was sent. `dayOf` gives call_date (a day in the
 * stream's zone); a caller number that is not kept (hashed or dropped) has no E.164 form.
 */
export function deriveColumns(row: ColumnValue[], dayOf: DayOf, callerNumberKept: boolean): void {
  const createdAt = row[C.createdAt] as number | null;
  row[C.callDate] = createdAt === null ? null : dayOf(createdAt);

  const landing = parseWebUrl(row[C.landingUrl] as string | null);
  const referrer = parseWebUrl(row[C.referrerUrl] as string | null);
  for (const u of UTM) row[u.attributed] = nonBlank(row[u.api]) ?? queryParam(landing, u.name);
  const landingDomain = domainOf(landing);
  const referrerDomain = domainOf(referrer);
  row[C.landingDomain] = landingDomain;
  row[C.landingPath] = landing === null ? null : pathOf(landing);
  row[C.referrerDomain] = referrerDomain;

  // Click ids often only survive in the landing page's query string.
  row[C.channel] = classifyChannel({
    gclid: nonBlank(row[C.gclid]) ?? queryParam(landing, 'gclid'),
    msclkid: nonBlank(row[C.msclkid]) ?? queryParam(landing, 'msclkid'),
    fbclid: nonBlank(row[C.fbclid]) ?? queryParam(landing, 'fbclid'),
    source: row[C.source] as string | null,
    utmSource: row[UTM[0].attributed] as string | null,
    utmMedium: row[UTM[1].attributed] as string | null,
    referrerDomain,
    landingDomain,
  });

  row[C.callerE164] = callerNumberKept ? toE164(row[C.callerNumber] as string | null) : null;
  row[C.trackingE164] = toE164(row[C.trackingNumber] as string | null);
  row[C.destinationE164] = toE164(row[C.destinationNumber] as string | null);
}
