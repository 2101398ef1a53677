import type { ColumnDef, TableSchema } from '../../src/schema/table.js';

/**
 * The `calls` table: every documented response field under its documented name, then the large text
 * fields that `include=` adds, then derived columns, then meta columns. The single source for the DuckDB
 * DDL, the Parquet schema, the README's column list and the tests.
 */
const api = (name: string, type: ColumnDef['type'], description: string): ColumnDef => ({
  name,
  type,
  origin: 'api',
  description,
});
const derived = (name: string, type: ColumnDef['type'], description: string): ColumnDef => ({
  name,
  type,
  origin: 'derived',
  description,
});

export const UTM_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;

export const CALL_STATUSES = ['completed', 'no-answer', 'voicemail', 'busy', 'failed'] as const;
export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export const AI_CATEGORIES = ['lead', 'existing_customer', 'spam', 'wrong_number', 'voicemail'] as const;
export const CHANNELS = [
  'paid_search',
  'paid_social',
  'organic_search',
  'organic_social',
  'referral',
  'direct',
  'other',
] as const;
export const INCLUDABLE = ['transcription', 'summary'] as const;
/** Fields that identify or describe a person: `streams.calls.pii` keeps, hashes or drops each. */
export const PII_FIELDS = [
  'caller_number',
  'caller_name',
  'transcription',
  'summary',
  'recording_url',
] as const;
export const PII_MODES = ['keep', 'hash', 'drop'] as const;

export const callsSchema: TableSchema = {
  name: 'calls',
  description: 'One row per call: every field of the Calls API, derived attribution columns, sync metadata',
  primaryKey: 'id',
  accountColumn: 'account',
  partitionBy: 'call_date',
  columns: [
    {
      name: 'account',
      type: 'utf8',
      origin: 'meta',
      description: 'The account the call belongs to (source.account or source.accounts[].name)',
    },
    api('id', 'utf8', 'Unique call ID (UUID)'),
    api('caller_number', 'utf8', "The caller's phone number, as the API sent it"),
    api('tracking_number', 'utf8', 'Your CallScaler tracking number'),
    api('destination_number', 'utf8', 'Where the call was forwarded'),
    api('call_flow_name', 'utf8', 'Name of the call flow that handled this call'),
    api('direction', 'utf8', 'inbound or outbound'),
    api('status', 'utf8', 'completed, no-answer, voicemail, busy or failed'),
    api('duration_seconds', 'int32', 'Call duration in seconds'),
    api('source', 'utf8', 'Traffic source (e.g. google, direct)'),
    api('recording_url', 'utf8', 'URL to the call recording (null if not recorded)'),
    api('recording_duration', 'int32', 'Recording length in seconds'),
    api('has_transcription', 'bool', 'Whether a transcription exists'),
    api('ai_score', 'int32', 'AI quality score (0-100, null if not processed)'),
    api('ai_category', 'utf8', 'AI category (lead, existing_customer, spam, wrong_number, voicemail)'),
    api('qualified_ai', 'bool', 'Whether AI marked the call as a qualified lead'),
    api('qualification_reason', 'utf8', 'Why AI qualified or disqualified the call'),
    api('keywords_spotted', 'list_utf8', 'Keywords detected in the call'),
    api('caller_name', 'utf8', 'Caller name (from CNAM lookup)'),
    api('value_cents', 'int64', 'Assigned call value in cents'),
    api('cost_cents', 'int64', 'Call cost in cents'),
    api('robo_score', 'float64', 'Robocall likelihood score'),
    api('utm_source', 'utf8', 'UTM source'),
    api('utm_medium', 'utf8', 'UTM medium'),
    api('utm_campaign', 'utf8', 'UTM campaign'),
    api('utm_term', 'utf8', 'UTM term'),
    api('utm_content', 'utf8', 'UTM content'),
    api('gclid', 'utf8', 'Google Ads click ID'),
    api('fbclid', 'utf8', 'Facebook click ID'),
    api('msclkid', 'utf8', 'Microsoft Ads click ID'),
    api('landing_page_url', 'utf8', 'Page the caller was on when they called'),
    api('referrer_url', 'utf8', 'Referring URL'),
    api('created_at', 'timestamp', 'When the call occurred (UTC instant)'),
    {
      name: 'transcription',
      type: 'utf8',
      origin: 'include',
      description: 'Full transcription text (include)',
    },
    { name: 'summary', type: 'utf8', origin: 'include', description: 'AI-generated call summary (include)' },
    derived(
      'call_date',
      'date',
      'Calendar date of created_at in streams.calls.timezone (default UTC); the Parquet partition key',
    ),
    derived('channel', 'utf8', `Marketing channel: ${CHANNELS.join(', ')}`),
    derived('attributed_utm_source', 'utf8', 'utm_source, else the one in landing_page_url'),
    derived('attributed_utm_medium', 'utf8', 'utm_medium, else the one in landing_page_url'),
    derived('attributed_utm_campaign', 'utf8', 'utm_campaign, else the one in landing_page_url'),
    derived('attributed_utm_term', 'utf8', 'utm_term, else the one in landing_page_url'),
    derived('attributed_utm_content', 'utf8', 'utm_content, else the one in landing_page_url'),
    derived('landing_page_domain', 'utf8', 'Host of landing_page_url, lower case, without www.'),
    derived('landing_page_path', 'utf8', 'Path of landing_page_url'),
    derived('referrer_domain', 'utf8', 'Host of referrer_url, lower case, without www.'),
    derived('caller_number_e164', 'utf8', 'caller_number in E.164 (null when not a valid number)'),
    derived('tracking_number_e164', 'utf8', 'tracking_number in E.164'),
    derived('destination_number_e164', 'utf8', 'destination_number in E.164'),
    {
      name: '_extra',
      type: 'json',
      origin: 'meta',
      description: 'Fields the API sent that this schema does not know',
    },
    {
      name: '_synced_at',
      type: 'timestamp',
      origin: 'meta',
      description: 'When this row was fetched (local clock)',
    },
    { name: '_run_id', type: 'utf8', origin: 'meta', description: 'The run that loaded this row' },
    {
      name: '_extract',
      type: 'utf8',
      origin: 'meta',
      description: 'list, export or lookup (batch by id): the path that fetched it',
    },
  ],
};

/** The columns the API itself returns (the record's documented fields). */
export const API_FIELDS: readonly ColumnDef[] = callsSchema.columns.filter((c) => c.origin === 'api');
