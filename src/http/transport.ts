import { SyncError } from '../errors.js';
import { safeText } from './body.js';
import { NetworkError, TimeoutError } from './errors.js';
import { transportCode } from './retry.js';

/** What one attempt knows when its request or body fails. */
export interface AttemptState {
  endpoint: string;
  timeoutMs: number;
  /** Our per-attempt timer fired (undici then reports a bare abort). */
  timedOut: boolean;
  /** The caller's signal: its abort is the caller's decision, passed through untouched and never retried. */
  signal: AbortSignal | undefined;
  /** Headers had arrived: a dropped connection now means a truncated body. */
  inBody: boolean;
  secrets: readonly string[];
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);

const PHRASES: Record<string, string> = {
  ECONNRESET: 'connection reset by the server',
  ECONNREFUSED: 'connection refused',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'response body truncated (shorter than its Content-Length)',
  ERR_STREAM_PREMATURE_CLOSE: 'response body ended early',
};

/** Maps whatever undici or Node threw during an attempt to a typed error that names the endpoint. */
export function transportError(err: unknown, s: AttemptState): unknown {
  if (s.signal?.aborted) return s.signal.reason ?? err;
  if (err instanceof SyncError) return err;
  if (s.timedOut) return new TimeoutError(s.endpoint, s.timeoutMs, { cause: err });
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) {
    return new TimeoutError(s.endpoint, s.timeoutMs, { cause: err });
  }
  const transport = transportCode(err);
  if (transport) {
    const phrase = PHRASES[transport] ?? 'network error';
    const prefix = s.inBody && !phrase.startsWith('response body') ? 'response body truncated: ' : '';
    return new NetworkError(s.endpoint, `${prefix}${phrase} (${transport})`, { cause: err });
  }
  // Unknown failures (an unparseable response, a bug) are not retried: repeating them hides them.
  const detail = safeText(err instanceof Error ? err.message : String(err), s.secrets, 200);
  const suffix = typeof code === 'string' ? ` (${code})` : '';
  return new NetworkError(s.endpoint, `request failed: ${detail}${suffix}`, { cause: err, retryable: false });
}
