import { describe, expect, test } from 'vitest';
import { RequestBudget } from '../../src/http/budget.js';
import { HttpStatusError, RetriesExhaustedError } from '../../src/http/errors.js';
import { httpTestKit, reply } from '../helpers/http-server.js';

const { serve, client } = httpTestKit();

/** A budget whose clock only moves when it sleeps, so a Retry-After pause is measured exactly. */
function fakeClockBudget() {
  const clock = { now: 1_000_000 };
  const budget = new RequestBudget({
    concurrency: 4,
    requestsPerSecond: 1000,
    now: () => clock.now,
    sleep: async (ms) => {
      clock.now += ms;
    },
  });
  return { clock, budget };
}

describe('HttpClient retries', () => {
  test('503 then 200: retried once with backoff, and the API message is the reason', async () => {
    const srv = await serve((_req, res, n) =>
      n === 1 ? reply(res, 503, { message: 'down' }) : reply(res, 200, { ok: 1 }),
    );
    const { http, retries } = client(srv.url);
    const res = await http.getJson('/calls', { page: 1 });
    expect(res.body).toEqual({ ok: 1 });
    expect(srv.hits).toEqual(['GET /api/v1/calls?page=1', 'GET /api/v1/calls?page=1']);
    expect(retries).toMatchObject([{ endpoint: 'GET /calls?page=1', attempt: 1, reason: 'HTTP 503: down' }]);
    expect(retries[0].delayMs).toBeLessThanOrEqual(5);
    expect(http.stats).toMatchObject({ requests: 2, retries: 1, rateLimited: 0 });
  });

  test.each([500, 502, 504])('%i then 200 is retried', async (status) => {
    const srv = await serve((_req, res, n) =>
      n === 1 ? reply(res, status, 'gateway trouble') : reply(res, 200, []),
    );
    const { http, retries } = client(srv.url);
    expect((await http.getJson('/x')).body).toEqual([]);
    expect(retries.map((r) => r.reason)).toEqual([`HTTP ${status}: gateway trouble`]);
  });

  test('429 with Retry-After seconds pauses this caller and every other caller', async () => {
    const { clock, budget } = fakeClockBudget();
    const seen: string[] = [];
    const srv = await serve((req, res, n) => {
      seen.push(`${req.url} @${clock.now - 1_000_000}`);
      if (n === 1) reply(res, 429, { error: { message: 'slow down' } }, { 'retry-after': '2' });
      else reply(res, 200, { path: req.url });
    });
    let others: Promise<unknown> | undefined;
    const { http, retries } = client(srv.url, {
      budget,
      // Other windows start while the pause is in force: they must wait too.
      onRetry: (e) => {
        retries.push(e);
        others ??= Promise.all([http.getJson('/b'), http.getJson('/c')]);
      },
    });
    await http.getJson('/a');
    await others;
    expect(seen[0]).toBe('/api/v1/a @0');
    expect(seen.slice(1).sort()).toEqual(['/api/v1/a @2000', '/api/v1/b @2000', '/api/v1/c @2000']);
    expect(retries).toMatchObject([
      { endpoint: 'GET /a', attempt: 1, delayMs: 2000, reason: 'HTTP 429: slow down' },
    ]);
    expect(budget.stats.pauses).toBe(1);
    expect(http.stats).toMatchObject({ requests: 4, retries: 1, rateLimited: 1 });
  });

  test("429 with an HTTP-date Retry-After is measured against the server's Date, not our clock", async () => {
    const { clock, budget } = fakeClockBudget();
    // A server clock far off ours: only the difference between its two headers may count.
    const serverNow = Date.UTC(2001, 0, 1, 0, 0, 0);
    const seen: string[] = [];
    const srv = await serve((req, res, n) => {
      seen.push(`${req.url} @${clock.now - 1_000_000}`);
      if (n > 1) return reply(res, 200, {});
      reply(res, 429, 'Too Many Requests', {
        date: new Date(serverNow).toUTCString(),
        'retry-after': new Date(serverNow + 3000).toUTCString(),
      });
    });
    let other: Promise<unknown> | undefined;
    const { http, retries } = client(srv.url, {
      budget,
      onRetry: (e) => {
        retries.push(e);
        other ??= http.getJson('/other');
      },
    });
    await http.getJson('/a');
    await other;
    expect(seen[0]).toBe('/api/v1/a @0');
    expect(seen.slice(1).sort()).toEqual(['/api/v1/a @3000', '/api/v1/other @3000']);
    expect(retries[0]).toMatchObject({ delayMs: 3000, reason: 'HTTP 429: Too Many Requests' });
  });

  test('429 without Retry-After falls back to backoff and pauses nobody', async () => {
    const srv = await serve((_req, res, n) =>
      n === 1 ? reply(res, 429, {}) : reply(res, 200, { ok: true }),
    );
    const { http, retries, budget } = client(srv.url);
    expect((await http.getJson('/x')).body).toEqual({ ok: true });
    expect(retries[0].delayMs).toBeLessThanOrEqual(5);
    expect(budget.stats.pauses).toBe(0);
    expect(http.stats.rateLimited).toBe(1);
  });

  test('a connection reset, then 200', async () => {
    const srv = await serve((req, res, n) =>
      n === 1 ? req.socket.resetAndDestroy() : reply(res, 200, { ok: 2 }),
    );
    const { http, retries } = client(srv.url);
    expect((await http.getJson('/x')).body).toEqual({ ok: 2 });
    expect(srv.hits).toHaveLength(2);
    expect(retries[0].reason).toBe('connection reset by the server (ECONNRESET)');
  });

  test('a connection refused, retried until exhausted, names the cause', async () => {
    const srv = await serve((_req, res) => reply(res, 200, {}));
    const url = srv.url;
    await srv.close(); // the server is gone: nothing listens on that port now
    const { http, retries } = client(url, { retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const err = await http.getJson('/x').catch((e) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(err.message).toBe('GET /x: gave up after 2 attempts: connection refused (ECONNREFUSED)');
    expect(retries).toHaveLength(1);
  });

  test('a response that hangs past timeoutMs is abandoned and retried', async () => {
    const srv = await serve((_req, res, n) => {
      if (n > 1) reply(res, 200, { ok: 3 });
    });
    const { http, retries } = client(srv.url, { timeoutMs: 250 });
    expect((await http.getJson('/slow')).body).toEqual({ ok: 3 });
    expect(srv.hits).toHaveLength(2);
    expect(retries[0].reason).toBe('no complete response within 250 ms');
  });

  test('a body that stalls after the headers also times out and is retried', async () => {
    const srv = await serve((_req, res, n) => {
      if (n > 1) return reply(res, 200, { ok: 4 });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '50' });
      res.write('{"data": [');
    });
    const { http, retries } = client(srv.url, { timeoutMs: 250 });
    expect((await http.getJson('/stall')).body).toEqual({ ok: 4 });
    expect(retries[0].reason).toBe('no complete response within 250 ms');
  });

  test('a truncated body (shorter than its Content-Length, then closed) is retried', async () => {
    const srv = await serve((_req, res, n) => {
      if (n > 1) return reply(res, 200, { data: [1, 2, 3] });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"data": [1, 2', () => res.destroy());
    });
    const { http, retries } = client(srv.url);
    const res = await http.getJson('/calls');
    expect(res.body).toEqual({ data: [1, 2, 3] });
    expect(srv.hits).toHaveLength(2);
    expect(retries[0].reason).toBe(
      'response body truncated: connection closed by the server (UND_ERR_SOCKET)',
    );
  });

  test('retries exhausted: RetriesExhaustedError with the attempt count and the last error as cause', async () => {
    const srv = await serve((_req, res) => reply(res, 503, { error: { message: 'maintenance' } }));
    const { http, retries } = client(srv.url, { retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 } });
    const err = await http.getJson('/calls', { limit: 500 }).catch((e) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(err.code).toBe('CS_HTTP_RETRIES');
    expect(err.attempts).toBe(3);
    expect(err.message).toBe('GET /calls?limit=500: gave up after 3 attempts: HTTP 503: maintenance');
    expect(err.cause).toBeInstanceOf(HttpStatusError);
    expect(err.cause.status).toBe(503);
    expect(srv.hits).toHaveLength(3);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
  });

  test('POST batch lookups are retried like GETs, resending the same body', async () => {
    const bodies: string[] = [];
    const srv = await serve((req, res, n) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (c) => {
        text += c;
      });
      req.on('end', () => {
        bodies.push(`${req.headers['content-type']} ${text}`);
        if (n === 1) reply(res, 502, 'Bad Gateway');
        else reply(res, 200, { found: 2 });
      });
    });
    const { http } = client(srv.url);
    const res = await http.postJson('/calls/batch', { ids: ['a', 'b'] });
    expect(res.body).toEqual({ found: 2 });
    expect(bodies).toEqual(['application/json {"ids":["a","b"]}', 'application/json {"ids":["a","b"]}']);
  });

  test("the caller's abort ends the backoff at once with the caller's reason, not a retry error", async () => {
    const srv = await serve((_req, res) => reply(res, 503, 'busy'));
    const ac = new AbortController();
    const reason = new Error('run cancelled');
    const { http } = client(srv.url, {
      retry: { maxRetries: 5, baseDelayMs: 600_000, maxDelayMs: 600_000, random: () => 1 },
      onRetry: () => ac.abort(reason),
    });
    await expect(http.getJson('/x', undefined, ac.signal)).rejects.toBe(reason);
    expect(srv.hits).toHaveLength(1);
  });

  test("the caller's abort during a hanging request rejects with its reason and is not retried", async () => {
    const ac = new AbortController();
    const reason = new Error('shutdown');
    const srv = await serve(() => ac.abort(reason));
    const { http, retries } = client(srv.url);
    await expect(http.getJson('/hang', undefined, ac.signal)).rejects.toBe(reason);
    expect(srv.hits).toHaveLength(1);
    expect(retries).toHaveLength(0);
  });
});
