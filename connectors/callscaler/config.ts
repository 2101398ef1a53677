import { z } from 'zod';
import {
  envBoolean,
  envInt,
  nonEmptyString,
  nullAsEmpty,
  strictObject,
  uuid,
} from '../../src/config/fields.js';
import { describeConfigValue } from '../../src/config/issues.js';
import { baseStreamShape, streamSchema } from '../../src/config/schema.js';
import { timeZoneName } from './normalize/timezone.js';
import {
  AI_CATEGORIES,
  CALL_DIRECTIONS,
  CALL_STATUSES,
  INCLUDABLE,
  PII_FIELDS,
  PII_MODES,
} from './schema.js';

/**
 * The `calls` stream's settings in pipeline.yaml. Filters are the documented GET /calls filters; the
 * parameters the extractor owns (pagination, sorting, dates, updated_since, include) are refused here
 * with a pointer to the setting that controls them.
 */

const EXTRACTOR_OWNED = 'not a filter here (set by the extractor)';

const FILTER_HINTS: Readonly<Record<string, string>> = {
  updated_since: 'not a filter here (managed by sync: incremental)',
  start_date: 'not a filter here (set streams.calls.start_date)',
  end_date: 'not a filter here (set streams.calls.end_date)',
  include: 'not a filter here (use streams.calls.include)',
  sort_by: EXTRACTOR_OWNED,
  sort_order: EXTRACTOR_OWNED,
  limit: EXTRACTOR_OWNED,
  offset: EXTRACTOR_OWNED,
  cursor: EXTRACTOR_OWNED,
};

export const callsFiltersSchema = strictObject(
  {
    status: z.enum(CALL_STATUSES).optional().describe('Call status.'),
    direction: z.enum(CALL_DIRECTIONS).optional().describe('inbound or outbound.'),
    source: nonEmptyString().optional().describe('Traffic source, e.g. google, facebook, direct.'),
    number_id: uuid().optional().describe('Tracking number UUID.'),
    call_flow_id: uuid().optional().describe('Call flow UUID.'),
    number_group_id: uuid().optional().describe('Number group UUID.'),
    min_duration: envInt(0).optional().describe('Minimum duration in seconds.'),
    max_duration: envInt(0).optional().describe('Maximum duration in seconds.'),
    search: nonEmptyString()
      .optional()
      .describe('Search across caller number, tracking number, destination and number name.'),
    min_ai_score: envInt(0, 100).optional().describe('Minimum AI quality score (0-100).'),
    max_ai_score: envInt(0, 100).optional().describe('Maximum AI quality score (0-100).'),
    ai_category: z.enum(AI_CATEGORIES).optional().describe('AI-assigned category.'),
    qualified: envBoolean().optional().describe('true for qualified leads, false for unqualified.'),
    has_transcription: envBoolean().optional().describe('true for calls with a transcription.'),
    caller_name: nonEmptyString().optional().describe('Caller name (partial match).'),
    keyword: nonEmptyString().optional().describe('A spotted keyword from your keyword list.'),
  },
  { hints: FILTER_HINTS },
).superRefine((f, ctx) => {
  const ordered = (min: keyof typeof f, max: keyof typeof f) => {
    const lo = f[min];
    const hi = f[max];
    if (typeof lo === 'number' && typeof hi === 'number' && lo > hi) {
      ctx.addIssue({
        code: 'custom',
        path: [max],
        input: hi,
        message: `must be >= ${min} (${lo}), got ${hi}`,
      });
    }
  };
  ordered('min_duration', 'max_duration');
  ordered('min_ai_score', 'max_ai_score');
});

const timezone = () =>
  z
    .string()
    .transform((name, ctx) => {
      const zone = timeZoneName(name);
      if (zone !== undefined) return zone;
      ctx.addIssue({
        code: 'custom',
        input: name,
        message: `expected an IANA time zone such as America/Chicago, got ${describeConfigValue(name)}`,
      });
      return z.NEVER;
    })
    .prefault('UTC')
    .describe(
      'IANA time zone of call_date, e.g. America/Chicago (default UTC). Changing it needs run --full-refresh.',
    );

const PII_DESCRIPTIONS: Readonly<Record<(typeof PII_FIELDS)[number], string>> = {
  caller_number: "The caller's number (caller_number_e164 is NULL unless it is kept).",
  caller_name: 'The caller name from the CNAM lookup.',
  transcription: 'The transcription text.',
  summary: 'The AI summary.',
  recording_url: 'The recording URL.',
};

const piiSchema = strictObject(
  Object.fromEntries(
    PII_FIELDS.map((f) => [f, z.enum(PII_MODES).prefault('keep').describe(PII_DESCRIPTIONS[f])]),
  ) as Record<
    (typeof PII_FIELDS)[number],
    z.ZodPrefault<z.ZodEnum<{ [M in (typeof PII_MODES)[number]]: M }>>
  >,
);

/** Short salts are guessable (and would not be masked in messages, see src/config/redact.ts). */
const MIN_SALT_LENGTH = 8;

const { sync, ...history } = baseStreamShape;

export const callsStreamSchema = streamSchema({
  extract: z
    .enum(['list', 'export', 'auto'])
    .prefault('list')
    .describe('list: paginated JSON; export: streamed CSV; auto: export for large backfills, else list.'),
  sync,
  include: nullAsEmpty(
    z
      .array(z.enum(INCLUDABLE))
      .refine((items) => new Set(items).size === items.length, { error: 'must not list a value twice' }),
    () => [],
  )
    .prefault([])
    .meta({ description: 'Large text fields to add: transcription, summary.', uniqueItems: true }),
  ...history,
  filters: nullAsEmpty(callsFiltersSchema)
    .prefault({})
    .describe('Documented GET /calls filters, sent as given.'),
  timezone: timezone(),
  pii: nullAsEmpty(piiSchema)
    .prefault({})
    .describe(
      'Per personal field: keep, hash (SHA-256 of pii_salt + value) or drop (NULL). Changing it needs run --full-refresh.',
    ),
  pii_salt: z
    .string()
    .min(MIN_SALT_LENGTH)
    .nullable()
    .prefault(null)
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} reference, for the reader
    .describe('Secret prepended to values before hashing; required when a pii field is hash. Use ${VAR}.'),
}).superRefine((cfg, ctx) => {
  const hashed = PII_FIELDS.filter((f) => cfg.pii[f] === 'hash');
  if (hashed.length > 0 && cfg.pii_salt === null) {
    ctx.addIssue({
      code: 'custom',
      path: ['pii_salt'],
      input: undefined,
      message: `required when a pii field is hash (${hashed.join(', ')}); e.g. pii_salt: \${CALLSCALER_PII_SALT}`,
    });
  }
});

export type CallsFilters = z.output<typeof callsFiltersSchema>;
export type CallsStreamConfig = z.output<typeof callsStreamSchema>;
