import { z } from 'zod';
import {
  byteSize,
  calendarDate,
  envCountOrFraction,
  envInt,
  envIntOrAuto,
  envNumber,
  filePath,
  identifier,
  nullAsEmpty,
  strictObject,
} from './fields.js';
import { isLoopbackHost } from './host.js';
import { describeConfigValue } from './issues.js';

/**
 * The pipeline.yaml schema: the single definition behind the TypeScript types, validation and the
 * editor JSON Schema (docs/pipeline.schema.json). Generic: connectors pass in their stream schemas.
 */

function baseUrlProblem(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `expected an http(s) URL, got ${describeConfigValue(value)}`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `expected an http(s) URL, got ${describeConfigValue(`${url.protocol}//...`)}`;
  }
  // credentials in a URL end up in logs and error messages; the key has its own field
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  if (url.search !== '' || url.hash !== '') return 'must not contain a query string or fragment';
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return 'http:// is only allowed for loopback hosts (localhost, 127.0.0.1, ::1); use https://';
  }
  return undefined;
}

/** The API root; trailing slashes are dropped so `${base_url}/<path>` is always right. */
function baseUrl() {
  return z
    .string()
    .superRefine((value, ctx) => {
      const message = baseUrlProblem(value);
      if (message !== undefined) ctx.addIssue({ code: 'custom', message, input: value });
    })
    .transform((value) => value.replace(/\/+$/, ''));
}

function apiKey() {
  return z
    .string()
    .trim() // a key read from a secrets file often ends in a newline
    .min(1)
    .refine((s) => !/[\s\u0000-\u001f\u007f]/.test(s), {
      error: 'must not contain whitespace or control characters',
    });
}

/** An account label: an identifier without `__` (which separates it from a run id in snapshot names). */
function accountName() {
  return identifier().refine((s) => !s.includes('__'), { error: 'must not contain "__"' });
}

const accountSchema = strictObject({
  name: accountName().describe('Names the account: its rows, state and summary carry this label.'),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} reference, for the reader
  api_key: apiKey().describe("This account's API key. Use ${VAR}; never commit a key."),
  base_url: baseUrl().optional().describe("This account's API root, when it is not source.base_url."),
});

export const sourceSchema = strictObject({
  base_url: baseUrl().describe('API root, e.g. https://api.example.com/v1. http:// only for loopback hosts.'),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} reference, for the reader
  api_key: apiKey().optional().describe('API key, sent as a Bearer token. Use ${VAR}; never commit the key.'),
  account: accountName()
    .prefault('default')
    .describe('Names the account of api_key: its rows, state and summary carry this label.'),
  accounts: z
    .array(accountSchema)
    .min(1)
    .optional()
    .describe('Several accounts synced in one run, each with its own key (instead of api_key).'),
  timeout_ms: envInt(1000, 600_000).prefault(30_000).describe('Per-request timeout in milliseconds.'),
  max_retries: envInt(0, 20)
    .prefault(6)
    .describe('Retries for 429, 5xx, resets and timeouts (capped exponential backoff).'),
  concurrency: envInt(1, 32)
    .prefault(4)
    .describe('Requests (or date windows) in flight at once, per account.'),
  requests_per_second: envNumber({ gt: 0, max: 1000 })
    .prefault(10)
    .describe('Request rate budget shared by all concurrent requests of an account.'),
  page_size: envInt(1, 500).prefault(500).describe('Records per page (the API allows at most 500).'),
}).superRefine((s, ctx) => {
  if (s.accounts === undefined && s.api_key === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['api_key'],
      input: undefined,
      message: 'required (or list accounts)',
    });
  }
  if (s.accounts !== undefined && s.api_key !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['accounts'],
      input: s.accounts,
      message: 'api_key and accounts exclude each other: put every key under accounts',
    });
  }
  const names = (s.accounts ?? []).map((a) => a.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['accounts'],
      input: s.accounts,
      message: `account ${twice} is listed twice`,
    });
  }
});

/** One account to sync: its label, its key, and its API root when not the source's. */
export interface AccountConfig {
  readonly name: string;
  readonly api_key: string;
  readonly base_url?: string;
}

/** The accounts a source syncs: `accounts`, or `api_key` under the `account` label. */
export function accountsOf(source: SourceConfig): AccountConfig[] {
  if (source.accounts) return source.accounts;
  return source.api_key === undefined ? [] : [{ name: source.account, api_key: source.api_key }];
}

const memoryLimit = () =>
  byteSize()
    .prefault(DEFAULT_MEMORY_LIMIT)
    .describe(
      'Memory the loader engine (DuckDB) may use before it spills to disk. The sync process as a whole stays near this plus about 200 MB.',
    );

/**
 * A commit of ~60 columns needs more than 64MB (DuckDB fails with "Out of Memory" there); 128MB holds, and
 * more only makes DuckDB cache more (BENCHMARKS.md, "Memory").
 */
export const DEFAULT_MEMORY_LIMIT = '128MB';

const duckdbDestination = strictObject(
  {
    type: z.literal('duckdb'),
    path: filePath().describe('The DuckDB database file (created if missing), relative to this file.'),
    schema: identifier()
      .prefault('main')
      .describe('The schema the tables and views live in (e.g. raw_callscaler for dbt sources).'),
    memory_limit: memoryLimit(),
  },
  { hints: { dir: 'only for type: parquet (type: duckdb takes path)' } },
);

const parquetDestination = strictObject(
  {
    type: z.literal('parquet'),
    dir: filePath().describe('Dataset root, relative to this file; each table is a folder under it.'),
    memory_limit: memoryLimit(),
  },
  { hints: { path: 'only for type: duckdb (type: parquet takes dir)', schema: 'only for type: duckdb' } },
);

export const destinationSchema = z
  .discriminatedUnion('type', [duckdbDestination, parquetDestination])
  .describe('Where the data lands: a DuckDB file or a partitioned Parquet dataset.');

/**
 * The settings every stream has: what the runner plans windows, checkpoints and reject limits from.
 * A connector spreads them into its stream's shape (in the order its users read best) and passes the whole
 * shape to `streamSchema`; the engine reads only these.
 */
export const baseStreamShape = {
  sync: z
    .enum(['incremental', 'full'])
    .prefault('incremental')
    .describe('incremental: only records changed since the last run (provider clock); full: everything.'),
  start_date: calendarDate()
    .nullable()
    .prefault(null)
    .describe('First day of history to sync (YYYY-MM-DD); null: all history.'),
  end_date: calendarDate()
    .nullable()
    .prefault(null)
    .describe('Day after the last day to sync (YYYY-MM-DD, exclusive); null: up to now.'),
  window_days: envIntOrAuto(1, 366)
    .prefault('auto')
    .describe(
      'Created-date windows a run fetches and checkpoints: auto (sized from the data: where its records lie and how many there are) or a fixed number of days.',
    ),
  lookback_minutes: envInt(0, 10_080)
    .prefault(10)
    .describe('Minutes subtracted from the incremental watermark, to catch late updates.'),
  max_rejected: envCountOrFraction()
    .prefault(0.01)
    .describe('Rejected rows tolerated: a count (integer >= 0) or a fraction of rows (0 < x < 1).'),
};

/** A stream's schema from a shape that holds the base settings and the connector's own; unknown keys refused. */
export function streamSchema<S extends typeof baseStreamShape & z.core.$ZodLooseShape>(shape: S) {
  return strictObject(shape).superRefine((s, ctx) => {
    const { start_date: start, end_date: end } = s as { start_date: string | null; end_date: string | null };
    if (start !== null && end !== null && end <= start) {
      ctx.addIssue({
        code: 'custom',
        path: ['end_date'],
        input: end,
        message: `must be after start_date (${start}), got "${end}"`,
      });
    }
  });
}

export const baseStreamSchema = streamSchema(baseStreamShape);

function streamsSchema<S extends Record<string, z.ZodType>>(streams: S) {
  const known = Object.keys(streams);
  const shape = Object.fromEntries(known.map((name) => [name, nullAsEmpty(streams[name]).optional()])) as {
    [K in keyof S]: z.ZodOptional<ReturnType<typeof nullAsEmpty<S[K]>>>;
  };
  return nullAsEmpty(
    strictObject(shape, { noun: 'stream' })
      .superRefine((v, ctx) => {
        // a misspelt stream name is already reported, and is the better message
        if (ctx.issues.some((issue) => issue.code === 'unrecognized_keys')) return;
        if (Object.values(v).every((s) => s === undefined)) {
          ctx.addIssue({
            code: 'custom',
            input: v,
            message: `at least one stream is required (known streams: ${known.join(', ')})`,
          });
        }
      })
      .meta({ minProperties: 1 }),
  ).describe('The streams to sync, each with its own settings.');
}

/** The whole pipeline.yaml, given the connector's stream schemas (`{ calls: callsStreamSchema }`). */
export function pipelineSchema<S extends Record<string, z.ZodType>>(streams: S) {
  return strictObject({
    version: z.literal(1).describe('Version of this file format; always 1.'),
    name: identifier().describe('Names the pipeline; keys its sync state.'),
    source: sourceSchema.describe('The API to read from.'),
    streams: streamsSchema(streams),
    destination: destinationSchema,
  });
}

/** What the engine reads of any connector's pipeline (a connector's own config type is assignable to it). */
type EnginePipelineSchema = ReturnType<typeof pipelineSchema<Record<string, z.ZodType>>>;

export type PipelineConfig = z.output<EnginePipelineSchema>;
export type BaseStreamConfig = z.output<typeof baseStreamSchema>;
export type SourceConfig = z.output<typeof sourceSchema>;
export type DestinationConfig = z.output<typeof destinationSchema>;
export type DuckDBDestinationConfig = Extract<DestinationConfig, { type: 'duckdb' }>;
export type ParquetDestinationConfig = Extract<DestinationConfig, { type: 'parquet' }>;
