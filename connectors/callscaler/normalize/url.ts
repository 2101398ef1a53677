/**
 * Lenient, never-throwing URL parsing for attribution. Landing and referrer URLs come from browsers and
 * scripts: scheme-less hosts and protocol-relative URLs are common, hostile strings are possible.
 * Only http(s) URLs with a host count; anything else (javascript:, data:, garbage) gives null.
 */
const MAX_URL_LENGTH = 64 * 1024;
const HAS_HTTP_SCHEME = /^https?:\/\//i;
const BARE_HOST = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?(?:[/?#]|$)/i;

export function parseWebUrl(raw: string | null): URL | null {
  if (raw === null || raw.length > MAX_URL_LENGTH) return null;
  let text = raw.trim();
  if (text === '') return null;
  if (!HAS_HTTP_SCHEME.test(text)) {
    if (text.startsWith('//')) text = `https:${text}`;
    else if (BARE_HOST.test(text)) text = `https://${text}`;
    else return null;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  return url.hostname === '' ? null : url;
}

/** Host lower-cased (URL already does, and punycodes IDNs), without a trailing dot or a leading `www.`. */
export function domainOf(url: URL | null): string | null {
  if (url === null) return null;
  let host = url.hostname;
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host.startsWith('www.')) host = host.slice(4);
  return host === '' ? null : host;
}

/** The path as the URL serializes it (percent-encoded), `/` for a bare host. */
export function pathOf(url: URL | null): string | null {
  return url === null ? null : url.pathname;
}

/** A query parameter, URL-decoded; null when absent or blank. */
export function queryParam(url: URL | null, name: string): string | null {
  if (url === null || url.search === '') return null;
  const value = url.searchParams.get(name);
  return value === null || value.trim() === '' ? null : value;
}
