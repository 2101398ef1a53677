import { isIP } from 'node:net';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isLoopbackV4(host: string): boolean {
  const m = IPV4.exec(host);
  if (m === null) return false;
  return m[1] === '127' && m.slice(1).every((octet) => Number(octet) <= 255);
}

/**
 * Whether a URL hostname is a loopback address (`localhost`, 127.0.0.0/8, `::1`, `[::1]`), the only hosts
 * plain http:// is allowed for: the API key then never crosses a network. Takes `URL.hostname`, which has
 * already normalised `127.1` and `0x7f000001` to `127.0.0.1` and `[0:0::1]` to `[::1]`.
 */
export function isLoopbackHost(hostname: string): boolean {
  let host = hostname.trim().toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === 'localhost') return true;
  if (isLoopbackV4(host)) return true;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (isIP(host) !== 6) return false;
  let normalised: string;
  try {
    normalised = new URL(`http://[${host}]/`).hostname.slice(1, -1);
  } catch {
    return false;
  }
  if (normalised === '::1') return true;
  // IPv4-mapped loopback, ::ffff:127.x.y.z, which the URL parser writes as ::ffff:7fxx:xxxx
  return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(normalised);
}
