// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} references are what these tests are about
import { describe, expect, test } from 'vitest';
import { configParser, defaultPipeline, LOOPBACK_ONLY, yamlWith } from '../helpers/config-fixtures.js';

const KEY = 'cs_key_Valid-5d2e8f10b7c3';
const ENV = { CALLSCALER_API_KEY: KEY };
const { parse, errorOf } = configParser(ENV);

const DEFAULTS = defaultPipeline(KEY);

describe('valid pipelines', () => {
  test('a minimal pipeline gets every default', () => {
    expect(parse(yamlWith())).toEqual(DEFAULTS);
  });

  test('`calls:` with nothing after it means all defaults', () => {
    const text = yamlWith().replace('calls: {}', 'calls:');
    expect(text).toContain('calls:\n');
    expect(parse(text).streams.calls).toEqual(DEFAULTS.streams.calls);
  });

  test('`filters:` and `include:` with every entry commented out mean none', () => {
    const text = `${yamlWith()}`.replace(
      'calls: {}',
      'calls:\n    include:\n      # - summary\n    filters:\n      # status: completed\n',
    );
    expect(text).toContain('filters:\n      # status');
    expect(parse(text).streams.calls).toEqual(DEFAULTS.streams.calls);
  });

  test('every key set, numbers and booleans from ${VAR} strings', () => {
    const text = `
version: 1
name: shop_2
source:
  base_url: \${BASE:-https://callscaler.com/api/v1/}
  api_key: \${CALLSCALER_API_KEY}
  account: acme_eu
  timeout_ms: \${TIMEOUT}
  max_retries: "0"
  concurrency: 32
  requests_per_second: 0.5
  page_size: 1
streams:
  calls:
    extract: export
    sync: full
    include: [transcription, summary]
    start_date: 2024-02-29
    end_date: \${END}
    window_days: 366
    lookback_minutes: 0
    max_rejected: 25
    filters:
      status: no-answer
      direction: inbound
      source: google
      number_id: A1B2C3D4-E5F6-7890-ABCD-EF1234567890
      call_flow_id: 00000000-0000-0000-0000-000000000000
      number_group_id: a1b2c3d4-e5f6-7890-abcd-ef1234567890
      min_duration: 0
      max_duration: \${MAX_DURATION}
      search: "555"
      min_ai_score: 70
      max_ai_score: 70
      ai_category: existing_customer
      qualified: \${QUALIFIED}
      has_transcription: false
      caller_name: Smith
      keyword: roof
    timezone: \${TZ_NAME}
    pii:
      caller_number: hash
      caller_name: drop
      transcription: keep
      summary: hash
      recording_url: drop
    pii_salt: \${CALLSCALER_PII_SALT}
destination:
  type: parquet
  dir: ./out/parquet
  memory_limit: \${MEMORY}
`;
    const env = {
      ...ENV,
      TIMEOUT: ' 60000 ',
      END: '2024-03-01',
      MAX_DURATION: '600',
      QUALIFIED: 'true',
      MEMORY: '1.5GiB',
      TZ_NAME: 'US/Central',
      CALLSCALER_PII_SALT: 'pepper-0123456789',
    };
    expect(parse(text, env)).toEqual({
      version: 1,
      name: 'shop_2',
      source: {
        base_url: 'https://callscaler.com/api/v1',
        api_key: KEY,
        account: 'acme_eu',
        timeout_ms: 60000,
        max_retries: 0,
        concurrency: 32,
        requests_per_second: 0.5,
        page_size: 1,
      },
      streams: {
        calls: {
          extract: 'export',
          sync: 'full',
          include: ['transcription', 'summary'],
          start_date: '2024-02-29',
          end_date: '2024-03-01',
          window_days: 366,
          lookback_minutes: 0,
          max_rejected: 25,
          filters: {
            status: 'no-answer',
            direction: 'inbound',
            source: 'google',
            number_id: 'A1B2C3D4-E5F6-7890-ABCD-EF1234567890',
            call_flow_id: '00000000-0000-0000-0000-000000000000',
            number_group_id: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
            min_duration: 0,
            max_duration: 600,
            search: '555',
            min_ai_score: 70,
            max_ai_score: 70,
            ai_category: 'existing_customer',
            qualified: true,
            has_transcription: false,
            caller_name: 'Smith',
            keyword: 'roof',
          },
          // as written: links are not resolved
          timezone: 'US/Central',
          pii: {
            caller_number: 'hash',
            caller_name: 'drop',
            transcription: 'keep',
            summary: 'hash',
            recording_url: 'drop',
          },
          pii_salt: 'pepper-0123456789',
        },
      },
      destination: { type: 'parquet', dir: './out/parquet', memory_limit: '1.5GiB' },
    });
  });

  test.each([
    ['0', 0],
    ['0.5', 0.5],
    ['1000', 1000],
  ])('max_rejected %s (a count or a fraction)', (value, expected) => {
    expect(parse(yamlWith({ 'streams.calls.max_rejected': value })).streams.calls?.max_rejected).toBe(
      expected,
    );
  });

  test('an api key read from a file keeps no trailing newline', () => {
    const cfg = parse(yamlWith(), { CALLSCALER_API_KEY: `${KEY}\n` });
    expect(cfg.source.api_key).toBe(KEY);
  });

  test('the result is deep-frozen', () => {
    const cfg = parse(yamlWith());
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(Object.isFrozen(cfg.source)).toBe(true);
    expect(Object.isFrozen(cfg.streams.calls?.include)).toBe(true);
    expect(Object.isFrozen(cfg.streams.calls?.filters)).toBe(true);
    expect(() => {
      (cfg.source as { page_size: number }).page_size = 1;
    }).toThrow(TypeError);
  });

  test('defaults are not shared between parses', () => {
    const a = parse(yamlWith());
    const b = parse(yamlWith());
    expect(a.streams.calls?.include).not.toBe(b.streams.calls?.include);
    expect(a.streams.calls?.filters).not.toBe(b.streams.calls?.filters);
  });
});

describe('source.base_url', () => {
  test.each([
    ['http://127.0.0.1:1234/api/v1', 'http://127.0.0.1:1234/api/v1'],
    ['http://localhost', 'http://localhost'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
    ['http://127.1.2.3/api/v1/', 'http://127.1.2.3/api/v1'],
    ['HTTP://LOCALHOST:80/api', 'HTTP://LOCALHOST:80/api'],
    ['https://10.0.0.1/api/v1', 'https://10.0.0.1/api/v1'],
    ['https://callscaler.com/api/v1//', 'https://callscaler.com/api/v1'],
  ])('%s is allowed', (url, expected) => {
    expect(parse(yamlWith({ 'source.base_url': url })).source.base_url).toBe(expected);
  });

  test.each([
    'http://example.com',
    'http://10.0.0.1',
    'http://localhost.example.com',
    'http://127.0.0.1.nip.io',
    'http://[::2]',
  ])('%s is refused', (url) => {
    expect(errorOf(yamlWith({ 'source.base_url': url })).message).toBe(`t.yaml: ${LOOPBACK_ONLY}`);
  });
});
