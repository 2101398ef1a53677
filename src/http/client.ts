import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Dispatcher, Pool } from 'undici';
import { ConfigError } from '../errors.js';
import { apiMessageOf, parseJsonBody, type ReadableBody, readBody, secretsOf } from './body.js';
import type { RequestBudget } from './budget.js';
import {
  AuthError,
  HttpStatusError,
  InvalidRequestError,
  RetriesExhaustedError,
  reasonOf,
  TimeoutError,
} from './errors.js';
import { backoffDelay, isRetryable, type RetryPolicy, retryAfterMs } from './retry.js';
import { transportError } from './transport.js';
import { buildTarget, parseBaseUrl, type Query, type Target } from './url.js';

export interface HttpClientOptions {
  /** e.g. https://api.example.com/v1 ; http:// only for loopback hosts. */
  baseUrl: string;
  /** Sent with every request. Every value is treated as a secret: it never appears in a message. */
  headers?: Record<string, string>;
  /** Added to authentication failures: which setting to check (e.g. `Check API_KEY`). */
  authHint?: string;
  /** Per attempt, covering headers and the whole body (for streams: headers, then idle time between chunks). */
  timeoutMs: number;
  retry: RetryPolicy;
  budget: RequestBudget;
  onRetry?: (e: { endpoint: string; attempt: number; delayMs: number; reason: string }) => void;
  /** Default `callscaler-sync/<version>`. */
  userAgent?: string;
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
  headers: ResponseHeaders;
  /** The server's clock (HTTP `Date`), the only clock a watermark may trust. */
  serverDate: Date | undefined;
  bytes: number;
}

export interface StreamResponse {
  status: number;
  headers: ResponseHeaders;
  serverDate: Date | undefined;
  /** Consume it or destroy it: the budget slot is held until it ends or is destroyed. */
  body: AsyncIterable<Uint8Array> & { destroy(err?: Error): void };
}

/** A 2xx body read whole and left undecoded, for a caller that parses it elsewhere (a worker thread). */
export interface BytesResponse extends JsonResponse<Buffer> {
  /** `GET /path` as error messages name the request. */
  endpoint: string;
}

type Mode = 'json' | 'bytes' | 'stream';
interface Prepared extends Target {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

/** Enough of an error page to quote its message; the rest is discarded unread. */
const ERROR_BODY_LIMIT = 64 * 1024;
/** A broken or hostile Retry-After must not park a run for hours; a persisting limit just 429s again. */
const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;

/**
 * The engine's HTTP client: one keep-alive connection pool per base URL, every attempt under the shared
 * request budget, and the one retry loop of the project (429 with Retry-After, 5xx, resets, timeouts,
 * truncated bodies). It knows nothing of the API it talks to beyond "JSON over HTTP".
 */
export class HttpClient {
  readonly stats = { requests: 0, retries: 0, bytes: 0, rateLimited: 0 };
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly headers: Record<string, string>;
  /** What error text must never show (the auth header's values): for body parsers running elsewhere. */
  readonly secrets: readonly string[];
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly budget: RequestBudget;
  private readonly onRetry: HttpClientOptions['onRetry'];
  private readonly authHint: string | undefined;

  constructor(opts: HttpClientOptions) {
    const { origin, basePath } = parseBaseUrl(opts.baseUrl);
    if (!(opts.timeoutMs > 0)) throw new ConfigError(`HTTP timeoutMs must be > 0, got ${opts.timeoutMs}`);
    const { maxRetries, baseDelayMs, maxDelayMs } = opts.retry;
    if (!Number.isInteger(maxRetries) || maxRetries < 0 || !(baseDelayMs >= 0) || !(maxDelayMs >= 0)) {
      throw new ConfigError(
        `HTTP retry policy invalid: maxRetries ${maxRetries}, baseDelayMs ${baseDelayMs}, maxDelayMs ${maxDelayMs}`,
      );
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(opts.headers ?? {})) {
      // Name the header, never echo its value: it is probably the key.
      if (!HEADER_NAME.test(name))
        throw new ConfigError(`HTTP header name ${JSON.stringify(name)} is invalid`);
      if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
        throw new ConfigError(
          `HTTP header ${name}: value has characters not allowed in a header (e.g. a newline)`,
        );
      }
      headers[name.toLowerCase()] = value;
    }
    this.secrets = secretsOf(headers);
    this.headers = { 'user-agent': opts.userAgent ?? defaultUserAgent(), ...headers };
    this.basePath = basePath;
    this.timeoutMs = opts.timeoutMs;
    this.retry = opts.retry;
    this.budget = opts.budget;
    this.onRetry = opts.onRetry;
    this.authHint = opts.authHint;
    this.pool = new Pool(origin, {
      keepAliveTimeout: 10_000,
      connectTimeout: opts.timeoutMs,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    });
  }

  async getJson<T = unknown>(path: string, query?: Query, signal?: AbortSignal): Promise<JsonResponse<T>> {
    const req = this.prepare('GET', path, query, { accept: 'application/json' });
    return (await this.send(req, 'json', signal)) as JsonResponse<T>;
  }

  /** Like getJson, but the body comes back as bytes: the caller parses it (`parseJsonBody` with `secrets`). */
  async getBytes(path: string, query?: Query, signal?: AbortSignal): Promise<BytesResponse> {
    const req = this.prepare('GET', path, query, { accept: 'application/json' });
    return (await this.send(req, 'bytes', signal)) as BytesResponse;
  }

  /** POST is used for batch lookups, which are idempotent reads: retried exactly like GETs. */
  async postJson<T = unknown>(path: string, body: unknown, signal?: AbortSignal): Promise<JsonResponse<T>> {
    let text: string;
    try {
      text = JSON.stringify(body);
    } catch (err) {
      throw new InvalidRequestError(`POST ${path}: request body is not serialisable as JSON`, { cause: err });
    }
    const req = this.prepare('POST', path, undefined, {
      accept: 'application/json',
      'content-type': 'application/json',
    });
    return (await this.send({ ...req, body: text }, 'json', signal)) as JsonResponse<T>;
  }

  /**
   * Retried until a 2xx status arrives; from then on the caller owns the body and must consume or destroy it.
   * A failure while reading it (truncation, idle timeout) surfaces from the iteration as a typed error.
   */
  async getStream(path: string, query?: Query, signal?: AbortSignal): Promise<StreamResponse> {
    const req = this.prepare('GET', path, query, {});
    return (await this.send(req, 'stream', signal)) as StreamResponse;
  }

  /** Waits for in-flight requests (and open streams) to finish, then closes the connections. */
  async close(): Promise<void> {
    if (!this.pool.closed) await this.pool.close();
  }

  private prepare(
    method: 'GET' | 'POST',
    path: string,
    query: Query | undefined,
    extra: Record<string, string>,
  ) {
    const target = buildTarget(this.basePath, method, path, query);
    return { ...target, method, headers: { ...extra, ...this.headers } } satisfies Prepared;
  }

  /** The retry loop: the one place that decides whether and when to try again. */
  private async send(
    req: Prepared,
    mode: Mode,
    signal?: AbortSignal,
  ): Promise<JsonResponse | BytesResponse | StreamResponse> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(req, mode, signal);
      } catch (err) {
        if (signal?.aborted) throw signal.reason ?? err;
        if (!isRetryable(err)) throw err;
        if (attempt > this.retry.maxRetries) throw new RetriesExhaustedError(req.endpoint, attempt, err);
        let delayMs = backoffDelay(attempt, this.retry);
        let sleepMs = delayMs;
        if (err instanceof HttpStatusError && err.status === 429) {
          this.stats.rateLimited += 1;
          if (err.retryAfterMs !== undefined && err.retryAfterMs > 0) {
            // The budget holds back every caller, this one included, until the server's limit resets.
            delayMs = err.retryAfterMs;
            sleepMs = 0;
            this.budget.pauseFor(err.retryAfterMs);
          }
        }
        this.stats.retries += 1;
        this.onRetry?.({ endpoint: req.endpoint, attempt, delayMs, reason: reasonOf(err, req.endpoint) });
        if (sleepMs > 0) await sleep(sleepMs, signal);
      }
    }
  }

  private async attempt(
    req: Prepared,
    mode: Mode,
    signal?: AbortSignal,
  ): Promise<JsonResponse | BytesResponse | StreamResponse> {
    const slot = await this.budget.acquire(signal);
    // One controller per attempt, fed by our timer and the caller's signal. (Not AbortSignal.any: on Node 20 it
    // keeps every attempt's signal alive as long as the caller's long-lived run signal.)
    const ctl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctl.abort(new TimeoutError(req.endpoint, this.timeoutMs));
    }, this.timeoutMs);
    const onAbort = () => ctl.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const release = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      slot();
    };
    const classify = (err: unknown, inBody = false) =>
      transportError(err, {
        endpoint: req.endpoint,
        timeoutMs: this.timeoutMs,
        timedOut,
        signal,
        inBody,
        secrets: this.secrets,
      });
    let handedOff = false;
    try {
      this.stats.requests += 1;
      let res: Dispatcher.ResponseData;
      try {
        res = await this.pool.request({
          path: req.requestPath,
          method: req.method,
          headers: req.headers,
          body: req.body,
          signal: ctl.signal,
        });
      } catch (err) {
        throw classify(err);
      }
      const headers = res.headers as ResponseHeaders;
      const serverDate = parseHttpDate(headers.date);
      if (res.statusCode < 200 || res.statusCode > 299) {
        throw await this.statusError(req.endpoint, res, serverDate);
      }
      if (mode === 'stream') {
        handedOff = true;
        clearTimeout(timer);
        return {
          status: res.statusCode,
          headers,
          serverDate,
          body: this.streamBody(res.body, release, classify),
        };
      }
      let buf: Buffer;
      try {
        buf = await readBody(res.body);
      } catch (err) {
        throw classify(err, true);
      }
      this.stats.bytes += buf.length;
      if (mode === 'bytes') {
        return {
          status: res.statusCode,
          body: buf,
          headers,
          serverDate,
          bytes: buf.length,
          endpoint: req.endpoint,
        };
      }
      const body = res.statusCode === 204 ? null : parseJsonBody(buf, req.endpoint, this.secrets);
      return { status: res.statusCode, body, headers, serverDate, bytes: buf.length };
    } finally {
      if (!handedOff) {
        release();
      }
    }
  }

  private async statusError(endpoint: string, res: Dispatcher.ResponseData, serverDate: Date | undefined) {
    let buf: Buffer = Buffer.alloc(0);
    try {
      buf = await readBody(res.body, ERROR_BODY_LIMIT);
    } catch {
      // The status already says what went wrong; a broken error body must not hide it.
    }
    this.stats.bytes += buf.length;
    const status = res.statusCode;
    const apiMessage = apiMessageOf(buf, res.statusText ?? '', this.secrets);
    if (status === 401 || status === 403)
      return new AuthError(endpoint, status, apiMessage, { hint: this.authHint });
    // Relative to the server's own Date when it sent one: immune to skew between our clock and theirs.
    const after = retryAfterMs(res.headers['retry-after'], serverDate?.getTime() ?? Date.now());
    return new HttpStatusError(endpoint, status, apiMessage, {
      retryAfterMs: after === undefined ? undefined : Math.min(after, MAX_RETRY_AFTER_MS),
    });
  }

  /** Wraps the undici body: counts bytes, types its errors, and frees the budget slot when it is done. */
  private streamBody(
    readable: Dispatcher.ResponseData['body'],
    release: () => void,
    classify: (err: unknown, inBody: boolean) => unknown,
  ): StreamResponse['body'] {
    readable.once('close', release);
    const stats = this.stats;
    return {
      async *[Symbol.asyncIterator]() {
        try {
          for await (const chunk of readable as ReadableBody) {
            stats.bytes += chunk.length;
            yield chunk;
          }
        } catch (err) {
          throw classify(err, true);
        } finally {
          release();
        }
      },
      destroy(err?: Error) {
        // undici reports a body destroyed unread as an 'error' (aborted): the caller chose to stop, so it is
        // not an error to throw at the process.
        readable.on('error', () => undefined);
        readable.destroy(err);
        release();
      },
    };
  }
}

export function parseHttpDate(value: string | string[] | undefined): Date | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

let userAgent: string | undefined;

/** `callscaler-sync/<version>` from the nearest package.json, found from src/ and from dist/ alike. */
function defaultUserAgent(): string {
  if (userAgent) return userAgent;
  userAgent = 'callscaler-sync';
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'callscaler-sync' && typeof pkg.version === 'string') {
        userAgent = `callscaler-sync/${pkg.version}`;
        break;
      }
    } catch {
      // No package.json at this level: keep walking up.
    }
    dir = dirname(dir);
  }
  return userAgent;
}
