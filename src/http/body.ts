import { BodyFormatError } from './errors.js';

/**
 * Reading response bodies and turning server text into safe message text. Anything the server sends can be
 * hostile or echo a secret, so it is redacted, stripped of control characters and capped before it is put in
 * an error message.
 */

/** What a readable undici body offers: async iteration and destroy. */
export interface ReadableBody extends AsyncIterable<Uint8Array> {
  destroy(err?: Error): unknown;
}

/**
 * Reads a whole body into one Buffer (chunks concatenated once at the end). With `limit`, stops after that
 * many bytes and destroys the rest: enough to show an error message without reading a huge error page.
 */
export async function readBody(body: ReadableBody, limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    chunks.push(buf);
    size += buf.length;
    if (size >= limit) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks, size);
}

/** Secret values to redact: each header value, and each long word in it (the key inside "Bearer <key>"). */
export function secretsOf(headers: Record<string, string>): string[] {
  const out = new Set<string>();
  for (const value of Object.values(headers)) {
    if (value.length >= 4) out.add(value);
    for (const word of value.split(/\s+/)) if (word.length >= 8) out.add(word);
  }
  // Longest first, so a whole value is replaced before the word inside it.
  return [...out].sort((a, b) => b.length - a.length);
}

// C0/C1 controls (newlines, ANSI escapes) and bidi overrides: they forge or hide log lines.
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g;

/** One line of at most `max` characters, with every secret replaced by [redacted]. */
export function safeText(text: string, secrets: readonly string[], max: number): string {
  let s = text;
  for (const secret of secrets) s = s.split(secret).join('[redacted]');
  s = s.replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function decode(buf: Buffer): string {
  // Like TextDecoder (invalid sequences become U+FFFD, a UTF-8 BOM is dropped) but several times faster.
  const start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  return buf.toString('utf8', start);
}

function messageField(json: unknown): string | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const o = json as Record<string, unknown>;
  const err = o.error;
  if (err && typeof err === 'object') {
    const m = (err as Record<string, unknown>).message;
    if (typeof m === 'string' && m) return m;
  }
  if (typeof o.message === 'string' && o.message) return o.message;
  if (typeof err === 'string' && err) return err;
  if (Array.isArray(o.errors) && o.errors.length > 0) return messageField({ error: o.errors[0] });
  return undefined;
}

/**
 * The API's own explanation of a non-2xx response: `error.message` or `message` of a JSON body, else the
 * first 200 characters of the text, else the status text.
 */
export function apiMessageOf(buf: Buffer, statusText: string, secrets: readonly string[]): string {
  const text = decode(buf);
  let fromJson: string | undefined;
  try {
    fromJson = messageField(JSON.parse(text));
  } catch {
    // Not JSON: fall back to the text itself.
  }
  const raw = fromJson ?? text;
  const msg = safeText(raw, secrets, fromJson === undefined ? 200 : 500);
  return msg || safeText(statusText, secrets, 100) || 'no message';
}

/** JSON.parse of a complete body; a failure names the endpoint, the byte offset and how the body starts. */
export function parseJsonBody(buf: Buffer, endpoint: string, secrets: readonly string[]): unknown {
  const text = decode(buf);
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = /at position (\d+)/.exec(message);
    const byteOffset = pos ? Buffer.byteLength(text.slice(0, Number(pos[1]))) : undefined;
    // V8 quotes the body in its message, so neither it nor the SyntaxError (as cause) may leak raw text.
    const reason = safeText(message.replace(/,?\s*".*" is not valid JSON.*$/s, ''), secrets, 120);
    throw new BodyFormatError(endpoint, {
      reason,
      byteOffset,
      preview: safeText(text.slice(0, 100), secrets, 100),
      bytes: buf.length,
    });
  }
}
