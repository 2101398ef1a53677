import { describe, expect, test } from 'vitest';
import { safeText, secretsOf } from '../../src/http/body.js';
import {
  AuthError,
  BodyFormatError,
  HttpStatusError,
  NetworkError,
  RetriesExhaustedError,
  TimeoutError,
} from '../../src/http/errors.js';
import { backoffDelay, isRetryable, type RetryPolicy, retryAfterMs } from '../../src/http/retry.js';

describe('backoffDelay', () => {
  const policy = (random: number): RetryPolicy => ({
    maxRetries: 5,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    random: () => random,
  });

  test.each([
    // [attempt, random, expected]: cap = min(1000, 100 * 2^(attempt-1)), delay = floor(random * cap)
    [1, 0.5, 50],
    [2, 0.5, 100],
    [3, 0.5, 200],
    [4, 0.5, 400],
    [5, 0.5, 500],
    [10, 0.5, 500],
    [2000, 0.5, 500],
    [0, 0.5, 50],
    [1, 0, 0],
    [1, 0.999, 99],
    [3, 1, 400],
    [6, 1, 1000],
  ])('attempt %i with random %d -> %i ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, policy(random))).toBe(expected);
  });

  test('uses Math.random by default and stays within the cap', () => {
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(3, { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 1000 });
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(40);
    }
  });
});

describe('retryAfterMs', () => {
  const now = Date.UTC(2024, 4, 1, 12, 0, 0);

  test.each<[string | string[] | undefined, number | undefined]>([
    ['5', 5000],
    [' 2 ', 2000],
    ['0', 0],
    ['1.5', 1500],
    [['3', '9'], 3000],
    [undefined, undefined],
    ['', undefined],
    ['soon', undefined],
    ['-5', undefined],
    ['Wed, 01 May 2024 12:00:03 GMT', 3000],
    ['Wed, 01 May 2024 11:59:00 GMT', 0],
  ])('%j -> %s', (header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });
});

describe('isRetryable', () => {
  const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

  test.each<[string, unknown, boolean]>([
    ['429', new HttpStatusError('GET /x', 429, 'slow down'), true],
    ['500', new HttpStatusError('GET /x', 500, 'oops'), true],
    ['502', new HttpStatusError('GET /x', 502, 'bad gateway'), true],
    ['503', new HttpStatusError('GET /x', 503, 'down'), true],
    ['504', new HttpStatusError('GET /x', 504, 'gateway timeout'), true],
    ['400', new HttpStatusError('GET /x', 400, 'bad'), false],
    ['404', new HttpStatusError('GET /x', 404, 'missing'), false],
    ['501', new HttpStatusError('GET /x', 501, 'not implemented'), false],
    ['401 auth', new AuthError('GET /x', 401, 'no'), false],
    ['timeout', new TimeoutError('GET /x', 100), true],
    ['network', new NetworkError('GET /x', 'connection reset'), true],
    ['network, not retryable', new NetworkError('GET /x', 'bad response', { retryable: false }), false],
    ['body format', new BodyFormatError('GET /x', { reason: 'x', preview: '{', bytes: 1 }), false],
    ['exhausted', new RetriesExhaustedError('GET /x', 3, reset), false],
    ['raw ECONNRESET', reset, true],
    ['cause ECONNREFUSED', new Error('fetch failed', { cause: refused }), true],
    ['aggregate ECONNREFUSED', new AggregateError([refused], 'all failed'), true],
    ['plain error', new Error('boom'), false],
    ['abort', new DOMException('aborted', 'AbortError'), false],
    ['string', 'ECONNRESET', false],
  ])('%s -> %s', (_name, err, expected) => {
    expect(isRetryable(err)).toBe(expected);
  });
});

describe('error messages', () => {
  test.each<[string, Error, string, string]>([
    [
      'status',
      new HttpStatusError('GET /calls?limit=500', 400, 'limit too large'),
      'CS_HTTP_STATUS',
      'GET /calls?limit=500: HTTP 400: limit too large',
    ],
    [
      'auth',
      new AuthError('GET /calls', 403, 'forbidden', { hint: 'Check CALLSCALER_API_KEY' }),
      'CS_AUTH',
      'GET /calls: authentication failed (HTTP 403): forbidden. Check CALLSCALER_API_KEY',
    ],
    [
      'timeout',
      new TimeoutError('GET /calls', 250),
      'CS_HTTP_TIMEOUT',
      'GET /calls: no complete response within 250 ms',
    ],
    [
      'exhausted strips the repeated endpoint',
      new RetriesExhaustedError('GET /calls', 4, new HttpStatusError('GET /calls', 503, 'down')),
      'CS_HTTP_RETRIES',
      'GET /calls: gave up after 4 attempts: HTTP 503: down',
    ],
    [
      'body',
      new BodyFormatError('GET /calls', {
        reason: 'Unexpected end of JSON input',
        preview: '{"a"',
        bytes: 4,
      }),
      'CS_HTTP_BODY',
      'GET /calls: invalid JSON (4 bytes): Unexpected end of JSON input; body starts: "{\\"a\\""',
    ],
  ])('%s', (_name, err, code, message) => {
    expect((err as { code?: string }).code).toBe(code);
    expect(err.message).toBe(message);
  });

  test('AuthError is an HttpStatusError carrying status and endpoint', () => {
    const err = new AuthError('GET /calls', 401, 'bad key');
    expect(err).toBeInstanceOf(HttpStatusError);
    expect(err.name).toBe('AuthError');
    expect([err.status, err.endpoint, err.apiMessage]).toEqual([401, 'GET /calls', 'bad key']);
  });
});

describe('safeText', () => {
  const secrets = secretsOf({ authorization: 'Bearer sk_live_0123456789', 'x-tenant': 'acme' });

  test.each([
    ['key sk_live_0123456789 revoked', 'key [redacted] revoked'],
    ['sent Bearer sk_live_0123456789', 'sent [redacted]'],
    ['line1\r\nline2\u001b[31m red', 'line1 line2 [31m red'],
    ['tenant acme unknown', 'tenant [redacted] unknown'],
    ['x'.repeat(30), `${'x'.repeat(20)}…`],
  ])('%j -> %j', (input, expected) => {
    expect(safeText(input, secrets, 20 + (input.startsWith('x') ? 0 : 100))).toBe(expected);
  });
});
