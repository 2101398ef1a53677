import { ConfigError } from '../errors.js';
import { InvalidRequestError } from './errors.js';

export type QueryValue = string | number | boolean | undefined | null;
export type Query = Record<string, QueryValue>;

export interface BaseUrl {
  /** scheme://host[:port], what the connection pool dials. */
  origin: string;
  /** The path prefix every request path is appended to, without a trailing slash ('' for the root). */
  basePath: string;
}

/** A request as sent (`requestPath`) and as named in messages (`endpoint`: method, path and query, no host). */
export interface Target {
  requestPath: string;
  endpoint: string;
}

const LOOPBACK_NAMES = new Set(['localhost', '[::1]']);

function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return LOOPBACK_NAMES.has(h) || h.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Validates the base URL once, at construction: https anywhere, plain http only to this machine (a key sent
 * in clear over a network is a leaked key), no credentials in the URL (they belong in headers, as secrets).
 */
export function parseBaseUrl(baseUrl: string): BaseUrl {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError(
      `base URL is not a valid absolute URL: ${JSON.stringify(String(baseUrl).slice(0, 200))}`,
    );
  }
  if (url.username || url.password) {
    throw new ConfigError(
      `base URL ${url.protocol}//${url.host}${url.pathname} must not contain credentials; pass them as headers`,
    );
  }
  const shown = `${url.protocol}//${url.host}${url.pathname}`;
  if (url.protocol === 'http:') {
    if (!isLoopback(url.hostname)) {
      throw new ConfigError(
        `base URL ${shown}: plain http:// is only allowed for loopback hosts (localhost, 127.0.0.1, ::1); use https://`,
      );
    }
  } else if (url.protocol !== 'https:') {
    throw new ConfigError(`base URL ${shown}: unsupported scheme ${url.protocol} (expected https://)`);
  }
  if (url.search || url.hash) {
    throw new ConfigError(`base URL ${shown}: must not have a query or fragment`);
  }
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}

// RFC 3986 pchar plus '/', with percent-escapes checked separately.
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]+$/;

/** Rejects paths that could leave the base path or smuggle a query: the path may hold ids taken from data. */
export function validatePath(path: string): void {
  const shown = JSON.stringify(String(path).slice(0, 200));
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new InvalidRequestError(`request path ${shown} must start with '/'`);
  }
  if (!PATH_CHARS.test(path) || /%(?![0-9A-Fa-f]{2})/.test(path)) {
    throw new InvalidRequestError(
      `request path ${shown} has characters that must be percent-encoded (encode ids with encodeURIComponent)`,
    );
  }
  for (const segment of path.slice(1).split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new InvalidRequestError(`request path ${shown} has an invalid percent-escape`);
    }
    if (segment === '' && path !== '/') {
      throw new InvalidRequestError(`request path ${shown} has an empty segment`);
    }
    if (decoded === '.' || decoded === '..' || decoded.includes('/')) {
      throw new InvalidRequestError(
        `request path ${shown} must not contain '.', '..' or encoded '/' segments`,
      );
    }
  }
}

// ':' and ',' are legal in a query (RFC 3986 §3.4) and keep dates and lists readable in error messages.
function encodeQueryPart(s: string): string {
  return encodeURIComponent(s).replace(/%3A/gi, ':').replace(/%2C/gi, ',');
}

/** The query string (without '?'), in the caller's key order; undefined and null values are omitted. */
export function encodeQuery(query: Query | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new InvalidRequestError(
        `query parameter ${JSON.stringify(key)} is not a finite number: ${value}`,
      );
    }
    parts.push(`${encodeQueryPart(key)}=${encodeQueryPart(String(value))}`);
  }
  return parts.join('&');
}

export function buildTarget(basePath: string, method: string, path: string, query?: Query): Target {
  validatePath(path);
  const qs = encodeQuery(query);
  const relative = qs ? `${path}?${qs}` : path;
  return { requestPath: `${basePath}${relative}`, endpoint: `${method} ${relative}` };
}
