import { describe, expect, test } from 'vitest';
import { isLoopbackHost } from '../../src/config/host.js';
import { isSecretKey, redact, redactConfig, registerSecret } from '../../src/config/redact.js';

describe('redact', () => {
  test('replaces every occurrence of every registered secret', () => {
    registerSecret('cs_key_Redact-aaaa1111');
    registerSecret('tok_Redact_bbbb');
    expect(redact('a cs_key_Redact-aaaa1111 b cs_key_Redact-aaaa1111 c tok_Redact_bbbb')).toBe(
      'a *** b *** c ***',
    );
  });

  test('masks the URL-encoded form too', () => {
    registerSecret('k/Redact+=&9');
    expect(redact('GET /x?key=k%2FRedact%2B%3D%269')).toBe('GET /x?key=***');
  });

  test('a secret containing another is masked whole', () => {
    registerSecret('Redact-inner');
    registerSecret('outer-Redact-inner-outer');
    expect(redact('[outer-Redact-inner-outer]')).toBe('[***]');
  });

  test('ignores values shorter than 4 characters and undefined', () => {
    registerSecret('abc');
    registerSecret(undefined);
    registerSecret('');
    expect(redact('abc and more abc')).toBe('abc and more abc');
  });
});

describe('redactConfig', () => {
  test('masks secret-named keys at any depth and registered secrets anywhere, without touching the input', () => {
    registerSecret('cs_key_Redact-cfg-2222');
    const cfg = Object.freeze({
      source: {
        api_key: 'cs_key_Redact-cfg-2222',
        base_url: 'https://h.test/cs_key_Redact-cfg-2222/x',
        timeout_ms: 1000,
      },
      extra: { access_token: 't', clientSecret: 's', password: 'p', 'X-API-Key': 'x', keys: ['k'] },
      streams: { calls: { filters: { keyword: 'roof', search: 'key' } } },
      list: [{ token: 'in a list' }],
      none: { api_key: null },
    });
    expect(redactConfig(cfg)).toEqual({
      source: { api_key: '***', base_url: 'https://h.test/***/x', timeout_ms: 1000 },
      extra: { access_token: '***', clientSecret: '***', password: '***', 'X-API-Key': '***', keys: ['k'] },
      streams: { calls: { filters: { keyword: 'roof', search: 'key' } } },
      list: [{ token: '***' }],
      none: { api_key: null },
    });
    expect(cfg.source.api_key).toBe('cs_key_Redact-cfg-2222');
  });

  test.each([
    ['api_key', true],
    ['apiKey', true],
    ['API_KEY', true],
    ['key', true],
    ['access_token', true],
    ['client_secret', true],
    ['password', true],
    ['db-passwd', true],
    ['pii_salt', true],
    ['salt', true],
    ['saltPepper', true],
    ['keyword', false],
    ['keys', false],
    ['monkey', false],
    ['tokenizer', false],
    ['page_size', false],
    ['salty', false],
  ])('isSecretKey(%s) = %s', (key, expected) => {
    expect(isSecretKey(key)).toBe(expected);
  });
});

describe('isLoopbackHost', () => {
  test.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['localhost.', true],
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['::1', true],
    ['[::1]', true],
    ['[0:0:0:0:0:0:0:1]', true],
    ['[::ffff:7f00:1]', true],
    ['128.0.0.1', false],
    ['127.0.0.256', false],
    ['127.0.0.1.nip.io', false],
    ['localhost.example.com', false],
    ['example.com', false],
    ['10.0.0.1', false],
    ['0.0.0.0', false],
    ['::2', false],
    ['[::ffff:a00:1]', false],
    ['', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
