import { SyncError } from '../errors.js';
import { HttpStatusError, NetworkError, RetriesExhaustedError, TimeoutError } from './errors.js';

/** The one retry policy of the HTTP layer: which failures are retried, and how long to wait between them. */
export interface RetryPolicy {
  /** Retries after the first attempt (0 = try once). */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected for deterministic tests; defaults to Math.random. */
  random?: () => number;
}

/** Statuses worth another try: rate limited, or a server/gateway that may recover. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Transport error codes (Node system errors and undici's) that a fresh attempt can get past. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * Delay before retry number `attempt` (1 = first retry): "full jitter" — uniform in [0, cap) where the cap
 * doubles per attempt up to maxDelayMs — so clients that failed together do not retry together.
 */
export function backoffDelay(attempt: number, p: RetryPolicy): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const cap = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** exponent);
  const r = (p.random ?? Math.random)();
  return Math.max(0, Math.floor(Math.min(1, Math.max(0, r)) * cap));
}

/**
 * Retry-After as milliseconds from `nowMs`: either delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * A date in the past means "now" (0); anything unparseable is ignored (undefined).
 */
export function retryAfterMs(header: string | string[] | undefined, nowMs: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // A bare number that is not delay-seconds (e.g. "-5") must not be taken as a year by Date.parse.
  if (/^[-+]?\d/.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Whether a failed attempt may be retried under the policy. Unknown errors are not: fail loudly. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof HttpStatusError) return RETRYABLE_STATUSES.has(err.status);
  if (err instanceof TimeoutError) return true;
  if (err instanceof NetworkError) return err.retryable;
  // Our other errors are decisions already made (e.g. retries exhausted): never look through to their cause.
  if (err instanceof SyncError) return false;
  return transportCode(err) !== undefined;
}

/** The first retryable transport code found on an error, its causes or its aggregated errors. */
export function transportCode(err: unknown, depth = 0): string | undefined {
  if (!(err instanceof Error) || depth > 4) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && RETRYABLE_CODES.has(code)) return code;
  if (err instanceof AggregateError) {
    for (const inner of err.errors) {
      const found = transportCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return transportCode(err.cause, depth + 1);
}

/**
 * Whether a failure is worth trying again later as it is (the API was down, slow or limiting us; the network
 * failed), as opposed to one a person must look at. Looks through wrappers (a window's error) to the cause.
 */
export function isTemporary(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    if (e instanceof RetriesExhaustedError || e instanceof TimeoutError || e instanceof NetworkError)
      return true;
    if (e instanceof HttpStatusError) return RETRYABLE_STATUSES.has(e.status);
  }
  return false;
}
