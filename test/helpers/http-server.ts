// Real HTTP servers on port 0 and HttpClients pointed at them, for the HttpClient tests. Everything a test
// opens is closed after it, newest first (clients before the servers they talk to).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { RequestBudget } from '../../src/http/budget.js';
import { HttpClient, type HttpClientOptions } from '../../src/http/client.js';

/** `n` is the 1-based number of the request. */
export type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

export type RetryEvent = Parameters<NonNullable<HttpClientOptions['onRetry']>>[0];

export function reply(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Call at the top level of a test file: registers the afterEach that closes what `serve`/`client` opened. */
export function httpTestKit() {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A real HTTP server on port 0; `close()` stops it now instead of after the test. */
  async function serve(handler: Handler) {
    const hits: string[] = [];
    let connections = 0;
    const server = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      handler(req, res, hits.length);
    });
    server.on('connection', () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const close = async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    };
    cleanups.push(close);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    return {
      url,
      hits,
      connections: () => connections,
      close: async () => {
        const i = cleanups.indexOf(close);
        if (i >= 0) cleanups.splice(i, 1);
        await close();
      },
    };
  }

  /** A client with fast retries and a generous budget; `retries` collects every onRetry event. */
  function client(baseUrl: string, opts: Partial<HttpClientOptions> = {}) {
    const retries: RetryEvent[] = [];
    const budget = opts.budget ?? new RequestBudget({ concurrency: 4, requestsPerSecond: 1000 });
    const http = new HttpClient({
      baseUrl,
      timeoutMs: 2000,
      retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20 },
      budget,
      onRetry: (e) => retries.push(e),
      ...opts,
    });
    cleanups.push(() => http.close());
    return { http, retries, budget };
  }

  return { serve, client };
}
