/**
 * What the provider's Calls API page documents, written down here from the page itself: the response
 * fields in the page's order (response fields, then attribution fields and created_at), the enums and
 * the `include=` texts. The simulator owns this copy on purpose: it imitates the provider, not the
 * connector, so a change to the connector's schema must not silently change what the simulator serves.
 * test/unit/simulator-fields.test.ts keeps the two lists from drifting apart.
 */

export const CALL_STATUSES = ['completed', 'no-answer', 'voicemail', 'busy', 'failed'] as const;
export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export const AI_CATEGORIES = ['lead', 'existing_customer', 'spam', 'wrong_number', 'voicemail'] as const;
/** `include=transcription,summary`: the large texts the list omits unless asked. */
export const INCLUDABLE = ['transcription', 'summary'] as const;

/** How a field's value looks in JSON; the CSV export needs to know which ones are lists. */
export type FieldKind = 'text' | 'integer' | 'number' | 'boolean' | 'list' | 'timestamp';

export interface ApiField {
  readonly name: string;
  readonly kind: FieldKind;
}

const f = (name: string, kind: FieldKind): ApiField => ({ name, kind });

/** Every documented field of a call, in the page's order ("Response Fields", then "Attribution Fields"). */
export const RESPONSE_FIELDS: readonly ApiField[] = [
  f('id', 'text'),
  f('caller_number', 'text'),
  f('tracking_number', 'text'),
  f('destination_number', 'text'),
  f('call_flow_name', 'text'),
  f('direction', 'text'),
  f('status', 'text'),
  f('duration_seconds', 'integer'),
  f('source', 'text'),
  f('recording_url', 'text'),
  f('recording_duration', 'integer'),
  f('has_transcription', 'boolean'),
  f('ai_score', 'integer'),
  f('ai_category', 'text'),
  f('qualified_ai', 'boolean'),
  f('qualification_reason', 'text'),
  f('keywords_spotted', 'list'),
  f('caller_name', 'text'),
  f('value_cents', 'integer'),
  f('cost_cents', 'integer'),
  f('robo_score', 'number'),
  f('utm_source', 'text'),
  f('utm_medium', 'text'),
  f('utm_campaign', 'text'),
  f('utm_term', 'text'),
  f('utm_content', 'text'),
  f('gclid', 'text'),
  f('fbclid', 'text'),
  f('msclkid', 'text'),
  f('landing_page_url', 'text'),
  f('referrer_url', 'text'),
  f('created_at', 'timestamp'),
];

/** Not on the page, but every response carries it (the tracking number's UUID, what number_id filters on). */
export const UNDOCUMENTED_FIELDS = ['number_id'] as const;
