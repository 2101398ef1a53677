import { callsSchema, UTM_FIELDS } from '../schema.js';

/**
 * Which columns of the calls table a fetch actually carries. A column the source did not send (an export
 * without a Transcription column, a list without `include=summary`) is left out of the staged rows, so the
 * merge keeps the value already stored instead of writing NULL over it; a column the source sent as null
 * is carried, and stored as NULL: the API's word wins.
 */

/**
 * The API fields each derived column is computed from. It is carried when any of them is: computed from what
 * the source sent (a missing input counts as null, as it always has), and left alone when none was sent.
 */
const DERIVED_FROM: Readonly<Record<string, readonly string[]>> = {
  call_date: ['created_at'],
  channel: ['gclid', 'msclkid', 'fbclid', 'source', ...UTM_FIELDS, 'landing_page_url', 'referrer_url'],
  ...Object.fromEntries(UTM_FIELDS.map((u) => [`attributed_${u}`, [u, 'landing_page_url']])),
  landing_page_domain: ['landing_page_url'],
  landing_page_path: ['landing_page_url'],
  referrer_domain: ['referrer_url'],
  caller_number_e164: ['caller_number'],
  tracking_number_e164: ['tracking_number'],
  destination_number_e164: ['destination_number'],
};

/** The calls columns carried by a fetch whose records hold `fields` (API and include field names). */
export function carriedColumns(fields: ReadonlySet<string>): string[] {
  return callsSchema.columns
    .filter((c) => {
      if (c.origin === 'api' || c.origin === 'include') return fields.has(c.name);
      if (c.origin === 'derived') return (DERIVED_FROM[c.name] ?? []).some((f) => fields.has(f));
      return true; // meta: account, _extra, _synced_at, _run_id, _extract
    })
    .map((c) => c.name);
}

/** Every API field, and the include fields named. */
export function listFields(include: readonly string[]): Set<string> {
  return new Set(
    callsSchema.columns
      .filter((c) => c.origin === 'api' || (c.origin === 'include' && include.includes(c.name)))
      .map((c) => c.name),
  );
}
