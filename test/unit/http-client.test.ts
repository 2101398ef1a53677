import type { IncomingMessage } from 'node:http';
import { describe, expect, test } from 'vitest';
import { describeError } from '../../src/errors.js';
import { RequestBudget } from '../../src/http/budget.js';
import { HttpClient } from '../../src/http/client.js';
import { AuthError, BodyFormatError, HttpStatusError, InvalidRequestError } from '../../src/http/errors.js';
import { httpTestKit, reply } from '../helpers/http-server.js';

const { serve, client } = httpTestKit();

describe('HttpClient construction', () => {
  const budget = new RequestBudget({ concurrency: 1, requestsPerSecond: 1 });
  const make = (baseUrl: string) =>
    new HttpClient({
      baseUrl,
      timeoutMs: 100,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      budget,
    });

  test.each([
    [
      'http://example.com/api/v1',
      /base URL http:\/\/example\.com\/api\/v1: plain http:\/\/ is only allowed for loopback/,
    ],
    ['ftp://example.com/', /unsupported scheme ftp:/],
    ['not a url', /base URL is not a valid absolute URL/],
    ['https://user:hunter2@example.com/api', /must not contain credentials/],
    ['https://example.com/api?x=1', /must not have a query or fragment/],
  ])('refuses %s', (url, message) => {
    const err = (() => {
      try {
        make(url);
      } catch (e) {
        return e as Error & { code: string };
      }
    })();
    expect(err?.code).toBe('CS_CONFIG');
    expect(err?.message).toMatch(message);
    expect(err?.message).not.toContain('hunter2');
  });

  test.each([
    'https://callscaler.com/api/v1',
    'http://127.0.0.1:8080/api/v1',
    'http://localhost/api',
    'http://[::1]:9000',
  ])('accepts %s', async (url) => {
    const http = make(url);
    expect(http).toBeInstanceOf(HttpClient);
    await http.close();
  });

  test('a header value with a newline is refused without echoing the value', () => {
    const build = () =>
      new HttpClient({
        baseUrl: 'https://example.com',
        headers: { authorization: 'Bearer sk_secret_value\r\nx-evil: 1' },
        timeoutMs: 100,
        retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
        budget,
      });
    expect(build).toThrow(
      'HTTP header authorization: value has characters not allowed in a header (e.g. a newline)',
    );
  });
});

describe('HttpClient requests', () => {
  test('joins the base path, encodes the query in order, omits undefined/null, sends UA and headers', async () => {
    const seen: IncomingMessage['headers'][] = [];
    const srv = await serve((req, res) => {
      seen.push(req.headers);
      reply(res, 200, { ok: true }, { date: 'Wed, 01 May 2024 12:00:00 GMT' });
    });
    const { http } = client(srv.url, { headers: { 'X-Api-Key': 'k-123456789' } });
    const res = await http.getJson('/calls', {
      limit: 500,
      start_date: '2024-01-01T00:00:00Z',
      tag: 'a b&c',
      flag: true,
      skip: undefined,
      none: null,
    });
    expect(srv.hits).toEqual([
      'GET /api/v1/calls?limit=500&start_date=2024-01-01T00:00:00Z&tag=a%20b%26c&flag=true',
    ]);
    expect(seen[0]['x-api-key']).toBe('k-123456789');
    expect(seen[0]['user-agent']).toMatch(/^callscaler-sync\/\d+\.\d+\.\d+/);
    expect(seen[0].accept).toBe('application/json');
    expect(res).toMatchObject({ status: 200, body: { ok: true }, bytes: 11 });
    expect(res.serverDate?.toISOString()).toBe('2024-05-01T12:00:00.000Z');
    expect(res.headers['content-type']).toBe('application/json');
  });

  test('reuses keep-alive connections for sequential requests', async () => {
    const srv = await serve((_req, res) => reply(res, 200, {}));
    const { http } = client(srv.url);
    for (let i = 0; i < 20; i++) await http.getJson('/calls', { page: i });
    expect(srv.hits).toHaveLength(20);
    // undici's pool may open a second socket while the first finishes a response; without keep-alive: 20.
    expect(srv.connections()).toBeLessThanOrEqual(4);
    expect(http.stats).toMatchObject({ requests: 20, retries: 0, bytes: 40 });
  });

  test.each([
    ['/calls/../admin', /must not contain '\.', '\.\.' or encoded '\/' segments/],
    ['/calls/%2e%2e', /must not contain '\.', '\.\.' or encoded '\/' segments/],
    ['/calls/a%2Fb', /must not contain '\.', '\.\.' or encoded '\/' segments/],
    ['calls', /must start with '\/'/],
    ['/calls?x=1', /characters that must be percent-encoded/],
    ['/calls/a b', /characters that must be percent-encoded/],
    ['/calls//x', /has an empty segment/],
  ])('refuses the path %j before sending anything', async (path, message) => {
    const srv = await serve((_req, res) => reply(res, 200, {}));
    const { http } = client(srv.url);
    const err = await http.getJson(path).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect(err.message).toMatch(message);
    expect(srv.hits).toHaveLength(0);
  });

  test('a POST body that cannot be serialised is refused before sending', async () => {
    const { http } = client('http://127.0.0.1:9/api');
    const err = await http.postJson('/batch', { n: 1n }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect(err.message).toBe('POST /batch: request body is not serialisable as JSON');
  });

  test('a non-finite number in the query is refused', async () => {
    const { http } = client('http://127.0.0.1:9/api');
    await expect(http.getJson('/calls', { limit: Number.NaN })).rejects.toThrow(
      'query parameter "limit" is not a finite number: NaN',
    );
  });
});

describe('HttpClient failures that are not retried', () => {
  test.each<[number, unknown, string]>([
    [400, { error: { message: 'start_date must be ISO 8601' } }, 'start_date must be ISO 8601'],
    [422, { message: 'limit must be <= 500' }, 'limit must be <= 500'],
    [404, { error: 'no such call' }, 'no such call'],
    [409, `conflict\n${'x'.repeat(300)}`, `conflict ${'x'.repeat(191)}…`],
    [410, '', 'Gone'],
  ])('%i fails fast with the API message', async (status, body, apiMessage) => {
    const srv = await serve((_req, res) => reply(res, status, body));
    const { http } = client(srv.url);
    const err = await http.getJson('/calls', { limit: 500, start_date: '2024-01-01' }).catch((e) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect(err).not.toBeInstanceOf(AuthError);
    expect(err.code).toBe('CS_HTTP_STATUS');
    expect(err.status).toBe(status);
    expect(err.apiMessage).toBe(apiMessage);
    expect(err.message).toBe(`GET /calls?limit=500&start_date=2024-01-01: HTTP ${status}: ${apiMessage}`);
    expect(srv.hits).toHaveLength(1);
    expect(http.stats.retries).toBe(0);
  });

  test.each([401, 403])('%i is an AuthError and the key appears nowhere in the error', async (status) => {
    const key = 'sk_test_FAKE0123456789abcdef';
    let received: string | undefined;
    const srv = await serve((req, res) => {
      received = req.headers.authorization;
      reply(res, status, { error: { message: `invalid api key ${key}` } });
    });
    const { http } = client(srv.url, {
      headers: { authorization: `Bearer ${key}` },
      authHint: 'Check CALLSCALER_API_KEY',
    });
    const err = await http.getJson('/calls').catch((e) => e);
    expect(received).toBe(`Bearer ${key}`);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.code).toBe('CS_AUTH');
    expect(err.message).toBe(
      `GET /calls: authentication failed (HTTP ${status}): invalid api key [redacted]. Check CALLSCALER_API_KEY`,
    );
    for (const text of [err.message, err.stack, JSON.stringify(err), describeError(err), String(err)]) {
      expect(text).not.toContain(key);
    }
    expect(srv.hits).toHaveLength(1);
  });

  test('invalid JSON is a BodyFormatError naming the endpoint and showing how the body starts', async () => {
    const srv = await serve((_req, res) => reply(res, 200, '{"data": [1, 2,'));
    const { http } = client(srv.url);
    const err = await http.getJson('/calls', { page: 2 }).catch((e) => e);
    expect(err).toBeInstanceOf(BodyFormatError);
    expect(err.code).toBe('CS_HTTP_BODY');
    expect(err.message).toBe(
      'GET /calls?page=2: invalid JSON (15 bytes): Unexpected end of JSON input; body starts: "{\\"data\\": [1, 2,"',
    );
    expect(srv.hits).toHaveLength(1);
  });

  test('the byte offset of a JSON error counts bytes, not characters', async () => {
    const srv = await serve((_req, res) => reply(res, 200, '{"né": 1} trailing'));
    const { http } = client(srv.url);
    const err = await http.getJson('/x').catch((e) => e);
    expect(err).toBeInstanceOf(BodyFormatError);
    expect(err.byteOffset).toBe(11);
    expect(err.message).toMatch(/^GET \/x: invalid JSON at byte 11 \(19 bytes\): /);
  });

  test('an HTML page with status 200 is a BodyFormatError, not a crash', async () => {
    const srv = await serve((_req, res) => reply(res, 200, '<html><body>Sign in</body></html>'));
    const { http } = client(srv.url);
    const err = await http.getJson('/x').catch((e) => e);
    expect(err).toBeInstanceOf(BodyFormatError);
    expect(err.preview).toBe('<html><body>Sign in</body></html>');
  });
});

describe('HttpClient.getStream', () => {
  test('yields the bytes of the body and counts them', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('id,name\n');
      setTimeout(() => res.end('1,a\n2,b\n'), 5);
    });
    const { http } = client(srv.url);
    const res = await http.getStream('/calls/export', { format: 'csv' });
    const chunks: Buffer[] = [];
    for await (const chunk of res.body) chunks.push(Buffer.from(chunk));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv');
    expect(Buffer.concat(chunks).toString()).toBe('id,name\n1,a\n2,b\n');
    expect(http.stats.bytes).toBe(16);
  });

  test('destroyed early: the server sees the connection go and the budget slot is released', async () => {
    let serverClosed!: (finished: boolean) => void;
    const closed = new Promise<boolean>((resolve) => {
      serverClosed = resolve;
    });
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      const timer = setInterval(() => res.write('x'.repeat(16 * 1024)), 2);
      res.on('close', () => {
        clearInterval(timer);
        serverClosed(res.writableFinished);
      });
    });
    const budget = new RequestBudget({ concurrency: 1, requestsPerSecond: 1000 });
    const { http } = client(srv.url, { budget });
    const res = await http.getStream('/calls/export');
    for await (const chunk of res.body) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    res.body.destroy();
    expect(await closed).toBe(false);
    // With concurrency 1 this only resolves if the stream gave its slot back.
    const release = await budget.acquire(AbortSignal.timeout(5000));
    release();
  });

  test('destroy() without reading also releases the slot', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200);
      res.write('partial');
    });
    const budget = new RequestBudget({ concurrency: 1, requestsPerSecond: 1000 });
    const { http } = client(srv.url, { budget });
    const res = await http.getStream('/export');
    res.body.destroy();
    const release = await budget.acquire(AbortSignal.timeout(5000));
    release();
  });

  test('retried until a 2xx arrives; a truncation mid-stream surfaces as a typed NetworkError', async () => {
    const srv = await serve((_req, res, n) => {
      if (n === 1) return reply(res, 503, 'warming up');
      res.writeHead(200, { 'content-length': '100' });
      res.write('id\n1\n', () => res.destroy());
    });
    const { http } = client(srv.url);
    const res = await http.getStream('/export');
    const err = await (async () => {
      for await (const _ of res.body) {
        // consume
      }
    })().catch((e) => e);
    expect(srv.hits).toHaveLength(2);
    expect(err.code).toBe('CS_HTTP_NETWORK');
    expect(err.message).toBe(
      'GET /export: response body truncated: connection closed by the server (UND_ERR_SOCKET)',
    );
  });
});

describe('HttpClient under a shared budget', () => {
  test('never more requests in flight than the budget allows', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const held: (() => void)[] = [];
    const srv = await serve((_req, res) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      held.push(() => {
        inFlight -= 1;
        reply(res, 200, {});
      });
      // Hold each batch until the allowed 3 are in, plus a little, so an extra request would show up.
      if (held.length === 3) {
        setTimeout(() => {
          for (const f of held.splice(0)) f();
        }, 20);
      }
    });
    const budget = new RequestBudget({ concurrency: 3, requestsPerSecond: 10_000 });
    const { http } = client(srv.url, { budget });
    await Promise.all(Array.from({ length: 9 }, (_, i) => http.getJson('/calls', { page: i })));
    expect(srv.hits).toHaveLength(9);
    expect(maxInFlight).toBe(3);
  });
});
