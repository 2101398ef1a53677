// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} references are what these tests are about
import { describe, expect, test } from 'vitest';
import { configParser, DELETE, type Edits, LOOPBACK_ONLY, yamlWith } from '../helpers/config-fixtures.js';

const KEY = 'cs_key_Unit-7f3a9c21d4e8';
const ENV = { CALLSCALER_API_KEY: KEY };
const { errorOf } = configParser(ENV);

const SOURCE_KEYS =
  'base_url, api_key, account, accounts, timeout_ms, max_retries, concurrency, requests_per_second, page_size';
const FILTER_KEYS =
  'status, direction, source, number_id, call_flow_id, number_group_id, min_duration, max_duration, search, ' +
  'min_ai_score, max_ai_score, ai_category, qualified, has_transcription, caller_name, keyword';
const IDENT = 'expected an identifier matching ^[a-z][a-z0-9_]{0,62}$';

// [what, edit of the base pipeline, the exact message]
const invalid: [string, Edits, string][] = [
  ['version 2', { version: 2 }, 'version: expected 1, got 2'],
  ['version missing', { version: DELETE }, 'version: required, expected 1'],
  ['name with spaces', { name: 'Call Scaler' }, `name: ${IDENT}, got "Call Scaler"`],
  ['name too long', { name: 'a'.repeat(64) }, `name: ${IDENT}, got "${'a'.repeat(57)}..."`],
  ['name missing', { name: DELETE }, 'name: required'],
  [
    'top-level typo',
    { destinaton: { type: 'duckdb', path: 'x.duckdb' }, destination: DELETE },
    'destination: required; t.yaml: destinaton: unknown key, did you mean "destination"? ' +
      '(valid keys: version, name, source, streams, destination)',
  ],
  ['source not a mapping', { source: null }, 'source: expected a mapping, got null'],
  ['http to a public host', { 'source.base_url': 'http://example.com/api/v1' }, LOOPBACK_ONLY],
  ['http to a private address', { 'source.base_url': 'http://10.0.0.1/api/v1' }, LOOPBACK_ONLY],
  [
    'base_url not a URL',
    { 'source.base_url': 'callscaler.com/api' },
    'source.base_url: expected an http(s) URL, got "callscaler.com/api"',
  ],
  [
    'base_url ftp',
    { 'source.base_url': 'ftp://callscaler.com' },
    'source.base_url: expected an http(s) URL, got "ftp://..."',
  ],
  [
    'base_url with credentials',
    { 'source.base_url': 'https://me:pw@callscaler.com/api/v1' },
    'source.base_url: must not contain a user name or password',
  ],
  [
    'base_url with a query',
    { 'source.base_url': 'https://callscaler.com/api/v1?x=1' },
    'source.base_url: must not contain a query string or fragment',
  ],
  ['base_url missing', { 'source.base_url': DELETE }, 'source.base_url: required'],
  ['api_key missing', { 'source.api_key': DELETE }, 'source.api_key: required (or list accounts)'],
  ['api_key empty', { 'source.api_key': '' }, 'source.api_key: must not be empty'],
  [
    'api_key with a space',
    { 'source.api_key': 'cs key 1234' },
    'source.api_key: must not contain whitespace or control characters',
  ],
  ['api_key a number', { 'source.api_key': 12345678 }, 'source.api_key: expected a string, got a number'],
  ['account', { 'source.account': 'Main-Account' }, `source.account: ${IDENT}, got "Main-Account"`],
  [
    'timeout_ms too small',
    { 'source.timeout_ms': 500 },
    'source.timeout_ms: expected an integer from 1000 to 600000, got 500',
  ],
  [
    'timeout_ms with a unit',
    { 'source.timeout_ms': '30s' },
    'source.timeout_ms: expected an integer from 1000 to 600000, got "30s"',
  ],
  [
    'max_retries too big',
    { 'source.max_retries': 21 },
    'source.max_retries: expected an integer from 0 to 20, got 21',
  ],
  [
    'concurrency fractional',
    { 'source.concurrency': 1.5 },
    'source.concurrency: expected an integer from 1 to 32, got 1.5',
  ],
  [
    'concurrency 0',
    { 'source.concurrency': 0 },
    'source.concurrency: expected an integer from 1 to 32, got 0',
  ],
  [
    'requests_per_second 0',
    { 'source.requests_per_second': 0 },
    'source.requests_per_second: expected a number > 0 and <= 1000, got 0',
  ],
  [
    'requests_per_second 1001',
    { 'source.requests_per_second': '1001' },
    'source.requests_per_second: expected a number > 0 and <= 1000, got 1001',
  ],
  [
    'page_size 501',
    { 'source.page_size': 501 },
    'source.page_size: expected an integer from 1 to 500, got 501',
  ],
  [
    'source typo',
    { 'source.timeout': 1000 },
    `source.timeout: unknown key, did you mean "timeout_ms"? (valid keys: ${SOURCE_KEYS})`,
  ],
  [
    'no streams',
    { streams: {} },
    'streams: at least one stream is required (known streams: calls, recordings)',
  ],
  [
    'streams empty',
    { streams: null },
    'streams: at least one stream is required (known streams: calls, recordings)',
  ],
  [
    'unknown stream',
    { streams: { call: {} } },
    'streams.call: unknown stream, did you mean "calls"? (known streams: calls, recordings)',
  ],
  [
    'unknown stream, far off',
    { 'streams.leads': {} },
    'streams.leads: unknown stream (known streams: calls, recordings)',
  ],
  [
    'extract',
    { 'streams.calls.extract': 'lists' },
    'streams.calls.extract: expected one of list | export | auto, got "lists"',
  ],
  [
    'sync',
    { 'streams.calls.sync': 'incr' },
    'streams.calls.sync: expected one of incremental | full, got "incr"',
  ],
  [
    'stream typo',
    { 'streams.calls.extrct': 'list' },
    'streams.calls.extrct: unknown key, did you mean "extract"? (valid keys: extract, sync, include, start_date, ' +
      'end_date, window_days, lookback_minutes, max_rejected, filters, timezone, pii, pii_salt)',
  ],
  [
    'include unknown',
    { 'streams.calls.include': ['summary', 'audio'] },
    'streams.calls.include[1]: expected one of transcription | summary, got "audio"',
  ],
  [
    'include twice',
    { 'streams.calls.include': ['summary', 'summary'] },
    'streams.calls.include: must not list a value twice',
  ],
  [
    'include a string',
    { 'streams.calls.include': 'summary' },
    'streams.calls.include: expected a list, got "summary"',
  ],
  [
    'start_date not a date',
    { 'streams.calls.start_date': '2023-02-29' },
    'streams.calls.start_date: expected a calendar date YYYY-MM-DD, got "2023-02-29"',
  ],
  [
    'end_date format',
    { 'streams.calls.end_date': '2024/03/01' },
    'streams.calls.end_date: expected a calendar date YYYY-MM-DD, got "2024/03/01"',
  ],
  [
    'end_date before start_date',
    { 'streams.calls.start_date': '2024-03-01', 'streams.calls.end_date': '2024-02-01' },
    'streams.calls.end_date: must be after start_date (2024-03-01), got "2024-02-01"',
  ],
  [
    'end_date equal to start_date',
    { 'streams.calls.start_date': '2024-03-01', 'streams.calls.end_date': '2024-03-01' },
    'streams.calls.end_date: must be after start_date (2024-03-01), got "2024-03-01"',
  ],
  [
    'window_days',
    { 'streams.calls.window_days': 367 },
    'streams.calls.window_days: expected auto or an integer from 1 to 366, got 367',
  ],
  [
    'window_days not a whole number',
    { 'streams.calls.window_days': 1.5 },
    'streams.calls.window_days: expected auto or an integer from 1 to 366, got 1.5',
  ],
  [
    'window_days another word',
    { 'streams.calls.window_days': 'weekly' },
    'streams.calls.window_days: expected auto or an integer from 1 to 366, got "weekly"',
  ],
  [
    'lookback_minutes',
    { 'streams.calls.lookback_minutes': -1 },
    'streams.calls.lookback_minutes: expected an integer from 0 to 10080, got -1',
  ],
  [
    'max_rejected 1.5',
    { 'streams.calls.max_rejected': 1.5 },
    'streams.calls.max_rejected: expected a count (integer >= 0) or a fraction between 0 and 1, got 1.5',
  ],
  [
    'max_rejected negative',
    { 'streams.calls.max_rejected': -0.1 },
    'streams.calls.max_rejected: expected a count (integer >= 0) or a fraction between 0 and 1, got -0.1',
  ],
  [
    'filter status',
    { 'streams.calls.filters.status': 'done' },
    'streams.calls.filters.status: expected one of completed | no-answer | voicemail | busy | failed, got "done"',
  ],
  [
    'filter direction',
    { 'streams.calls.filters.direction': 'in' },
    'streams.calls.filters.direction: expected one of inbound | outbound, got "in"',
  ],
  [
    'filter source empty',
    { 'streams.calls.filters.source': '' },
    'streams.calls.filters.source: must not be empty',
  ],
  [
    'filter number_id',
    { 'streams.calls.filters.number_id': 'abc' },
    'streams.calls.filters.number_id: expected a UUID, got "abc"',
  ],
  [
    'filter min_duration',
    { 'streams.calls.filters.min_duration': -5 },
    'streams.calls.filters.min_duration: expected an integer >= 0, got -5',
  ],
  [
    'filter durations out of order',
    { 'streams.calls.filters.min_duration': 60, 'streams.calls.filters.max_duration': '30' },
    'streams.calls.filters.max_duration: must be >= min_duration (60), got 30',
  ],
  [
    'filter min_ai_score',
    { 'streams.calls.filters.min_ai_score': 101 },
    'streams.calls.filters.min_ai_score: expected an integer from 0 to 100, got 101',
  ],
  [
    'filter ai scores out of order',
    { 'streams.calls.filters.min_ai_score': 80, 'streams.calls.filters.max_ai_score': 70 },
    'streams.calls.filters.max_ai_score: must be >= min_ai_score (80), got 70',
  ],
  [
    'filter ai_category',
    { 'streams.calls.filters.ai_category': 'hot' },
    'streams.calls.filters.ai_category: expected one of lead | existing_customer | spam | wrong_number | voicemail, ' +
      'got "hot"',
  ],
  [
    'filter qualified',
    { 'streams.calls.filters.qualified': 'yes' },
    'streams.calls.filters.qualified: expected true or false, got "yes"',
  ],
  [
    'filter has_transcription',
    { 'streams.calls.filters.has_transcription': 1 },
    'streams.calls.filters.has_transcription: expected true or false, got 1',
  ],
  [
    'filter updated_since',
    { 'streams.calls.filters.updated_since': '2026-03-30T10:00:00Z' },
    'streams.calls.filters.updated_since: not a filter here (managed by sync: incremental)',
  ],
  [
    'filter start_date and end_date',
    { 'streams.calls.filters.start_date': '2024-01-01', 'streams.calls.filters.end_date': '2024-02-01' },
    'streams.calls.filters.start_date: not a filter here (set streams.calls.start_date); ' +
      't.yaml: streams.calls.filters.end_date: not a filter here (set streams.calls.end_date)',
  ],
  [
    'filter include',
    { 'streams.calls.filters.include': 'summary' },
    'streams.calls.filters.include: not a filter here (use streams.calls.include)',
  ],
  [
    'filters owned by the extractor',
    {
      'streams.calls.filters.sort_by': 'date',
      'streams.calls.filters.limit': 10,
      'streams.calls.filters.cursor': 'x',
    },
    'streams.calls.filters.sort_by: not a filter here (set by the extractor); ' +
      't.yaml: streams.calls.filters.limit: not a filter here (set by the extractor); ' +
      't.yaml: streams.calls.filters.cursor: not a filter here (set by the extractor)',
  ],
  [
    'filter typo',
    { 'streams.calls.filters.stauts': 'completed' },
    `streams.calls.filters.stauts: unknown key, did you mean "status"? (valid keys: ${FILTER_KEYS})`,
  ],
  [
    'destination type',
    { destination: { type: 'postgres', path: 'x' } },
    'destination.type: expected one of duckdb | parquet, got "postgres"',
  ],
  [
    'destination type missing',
    { 'destination.type': DELETE },
    'destination.type: required, one of duckdb | parquet',
  ],
  ['destination a string', { destination: 'duckdb' }, 'destination: expected a mapping, got "duckdb"'],
  ['duckdb without path', { 'destination.path': DELETE }, 'destination.path: required'],
  [
    'parquet with path',
    { destination: { type: 'parquet', path: './out' } },
    'destination.dir: required; t.yaml: destination.path: only for type: duckdb (type: parquet takes dir)',
  ],
  [
    'duckdb with dir',
    { 'destination.dir': './out' },
    'destination.dir: only for type: parquet (type: duckdb takes path)',
  ],
  ['destination path empty', { 'destination.path': '' }, 'destination.path: must not be empty'],
  [
    'memory_limit not a size',
    { 'destination.memory_limit': 'lots' },
    'destination.memory_limit: expected a size such as 128MB or 1GiB, got "lots"',
  ],
  [
    'memory_limit a bare number',
    { 'destination.memory_limit': 128 },
    'destination.memory_limit: expected a string, got 128',
  ],
  [
    'at most five problems',
    {
      version: 3,
      name: 'X',
      'source.timeout_ms': 1,
      'source.max_retries': 99,
      'source.concurrency': 99,
      'source.page_size': 0,
      'streams.calls.sync': 'always',
    },
    'version: expected 1, got 3; t.yaml: name: expected an identifier matching ^[a-z][a-z0-9_]{0,62}$, got "X"; ' +
      't.yaml: source.timeout_ms: expected an integer from 1000 to 600000, got 1; ' +
      't.yaml: source.max_retries: expected an integer from 0 to 20, got 99; ' +
      't.yaml: source.concurrency: expected an integer from 1 to 32, got 99 (+2 more)',
  ],
];

describe('invalid pipelines: one exact line each', () => {
  test.each(invalid)('%s', (_what, edits, message) => {
    const err = errorOf(yamlWith(edits));
    expect(err.code).toBe('CS_CONFIG');
    expect(err.message).toBe(`t.yaml: ${message}`);
    expect(err.message).not.toContain('\n');
    expect(err.message).not.toContain(KEY);
  });
});

// [what, YAML text, env, the exact message]
const invalidText: [string, string, NodeJS.ProcessEnv, string][] = [
  [
    'empty file',
    '# nothing here\n',
    ENV,
    't.yaml: the file is empty (expected a mapping with version, name, source, ...)',
  ],
  ['a list', '- version: 1\n', ENV, 't.yaml: expected a mapping, got a list'],
  [
    'syntax error',
    'version: 1\nname: callscaler\nsource:\n  base_url: [https://x\n',
    ENV,
    't.yaml: YAML syntax error at line 5, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]',
  ],
  [
    'duplicate key',
    'version: 1\nname: a\nname: b\n',
    ENV,
    't.yaml: YAML syntax error at line 3, column 1: Map keys must be unique',
  ],
  ['unset variable', yamlWith(), {}, 't.yaml: source.api_key: ${CALLSCALER_API_KEY} is not set'],
  [
    'unset variable in a number',
    yamlWith({ 'source.timeout_ms': '${TIMEOUT}' }),
    ENV,
    't.yaml: source.timeout_ms: ${TIMEOUT} is not set',
  ],
  [
    'unset base_url variable',
    yamlWith({ 'source.base_url': '${BASE_URL}' }),
    ENV,
    't.yaml: source.base_url: ${BASE_URL} is not set',
  ],
  [
    'malformed reference',
    yamlWith({ 'destination.path': './out/${1BAD}.duckdb' }),
    ENV,
    't.yaml: destination.path: invalid reference "${1BAD}" (use ${NAME} or ${NAME:-default}; $${ for a literal ${)',
  ],
  [
    'the key in the wrong field',
    yamlWith({ name: '${CALLSCALER_API_KEY}' }),
    ENV,
    `t.yaml: name: ${IDENT}, got "***"`,
  ],
  [
    'a variable enum value',
    yamlWith({ 'streams.calls.extract': '${EXTRACT:-lists}' }),
    ENV,
    't.yaml: streams.calls.extract: expected one of list | export | auto, got "lists"',
  ],
];

describe('invalid files and variables', () => {
  test.each(invalidText)('%s', (_what, text, env, message) => {
    expect(errorOf(text, env).message).toBe(message);
  });
});
