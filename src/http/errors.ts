import { SyncError } from '../errors.js';

/**
 * Typed HTTP failures with stable codes. Every message starts with the endpoint (`GET /path?query`,
 * relative to the base URL: no host, no headers) so a log line says where it happened. Header values are
 * secrets and never reach these messages; text that came from the server is sanitised by the client first.
 */

type ErrorOptions = { cause?: unknown; context?: Record<string, unknown> };

/** A non-2xx response: 4xx other than 429 fail fast, 429/5xx end here once retries are spent. */
export class HttpStatusError extends SyncError {
  readonly endpoint: string;
  readonly status: number;
  readonly apiMessage: string;
  /** The server's Retry-After, in ms, when it sent one (429/503). */
  readonly retryAfterMs: number | undefined;

  constructor(
    endpoint: string,
    status: number,
    apiMessage: string,
    options: ErrorOptions & { retryAfterMs?: number; code?: string; message?: string } = {},
  ) {
    super(options.code ?? 'CS_HTTP_STATUS', options.message ?? `${endpoint}: HTTP ${status}: ${apiMessage}`, {
      cause: options.cause,
      context: { endpoint, status, ...options.context },
    });
    this.endpoint = endpoint;
    this.status = status;
    this.apiMessage = apiMessage;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** 401/403: almost always a wrong or revoked key, so say which setting to check (`hint`; never its value). */
export class AuthError extends HttpStatusError {
  constructor(
    endpoint: string,
    status: number,
    apiMessage: string,
    options: ErrorOptions & { hint?: string } = {},
  ) {
    const hint = options.hint ? `. ${options.hint}` : '';
    super(endpoint, status, apiMessage, {
      ...options,
      code: 'CS_AUTH',
      message: `${endpoint}: authentication failed (HTTP ${status}): ${apiMessage}${hint}`,
    });
  }
}

/** No complete response (headers and body) within the per-attempt timeout. */
export class TimeoutError extends SyncError {
  readonly endpoint: string;
  readonly timeoutMs: number;

  constructor(endpoint: string, timeoutMs: number, options: ErrorOptions = {}) {
    super('CS_HTTP_TIMEOUT', `${endpoint}: no complete response within ${timeoutMs} ms`, {
      ...options,
      context: { endpoint, timeoutMs, ...options.context },
    });
    this.endpoint = endpoint;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The transport failed: reset, refused, truncated body, unreadable response. `retryable` is false for
 * failures a retry cannot fix (an unparseable HTTP response, an unknown host).
 */
export class NetworkError extends SyncError {
  readonly endpoint: string;
  readonly retryable: boolean;

  constructor(endpoint: string, detail: string, options: ErrorOptions & { retryable?: boolean } = {}) {
    super('CS_HTTP_NETWORK', `${endpoint}: ${detail}`, {
      cause: options.cause,
      context: { endpoint, ...options.context },
    });
    this.endpoint = endpoint;
    this.retryable = options.retryable ?? true;
  }
}

/** A 2xx whose body is not the JSON it claims to be. Not retried: the same request gives the same body. */
export class BodyFormatError extends SyncError {
  readonly endpoint: string;
  /** Byte offset of the parse failure in the body, when the parser reported one. */
  readonly byteOffset: number | undefined;
  /** The first 100 characters of the body, sanitised. */
  readonly preview: string;

  constructor(
    endpoint: string,
    detail: { reason: string; byteOffset?: number; preview: string; bytes: number },
    options: ErrorOptions = {},
  ) {
    const where = detail.byteOffset === undefined ? '' : ` at byte ${detail.byteOffset}`;
    super(
      'CS_HTTP_BODY',
      `${endpoint}: invalid JSON${where} (${detail.bytes} bytes): ${detail.reason}; body starts: ${JSON.stringify(detail.preview)}`,
      {
        ...options,
        context: { endpoint, byteOffset: detail.byteOffset, bytes: detail.bytes, ...options.context },
      },
    );
    this.endpoint = endpoint;
    this.byteOffset = detail.byteOffset;
    this.preview = detail.preview;
  }
}

/** Every attempt failed with a retryable error; `cause` is the last one. */
export class RetriesExhaustedError extends SyncError {
  readonly endpoint: string;
  readonly attempts: number;

  constructor(endpoint: string, attempts: number, lastError: unknown) {
    super(
      'CS_HTTP_RETRIES',
      `${endpoint}: gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reasonOf(lastError, endpoint)}`,
      { cause: lastError, context: { endpoint, attempts } },
    );
    this.endpoint = endpoint;
    this.attempts = attempts;
  }
}

/** A path or query that must not be sent (it would escape the base path or inject into the request line). */
export class InvalidRequestError extends SyncError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('CS_HTTP_REQUEST', message, options);
  }
}

/** An error's message without the leading `<endpoint>: `, for "gave up ...: <reason>" and retry events. */
export function reasonOf(err: unknown, endpoint: string): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.startsWith(`${endpoint}: `) ? msg.slice(endpoint.length + 2) : msg;
}
