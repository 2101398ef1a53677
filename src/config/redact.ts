/**
 * Secrets known to this process. Anything that turns text into output (errors, logs, summaries) passes
 * it through `redact`, so a key that leaks into a URL or an upstream error message is still masked.
 */
const secrets = new Set<string>();
const MASK = '***';
// shorter values would mask ordinary words and numbers all over the output
const MIN_SECRET_LENGTH = 4;

/** Remembers a secret for `redact` (process-wide); values shorter than 4 characters are ignored. */
export function registerSecret(value: string | undefined): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  secrets.add(value);
  // the same key inside a URL or a form body
  const encoded = encodeURIComponent(value);
  if (encoded !== value) secrets.add(encoded);
}

/** Replaces every registered secret in `text` with `***`. */
export function redact(text: string): string {
  if (secrets.size === 0) return text;
  let out = text;
  // longest first, so a secret that contains another is masked whole
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out;
}

const SECRET_WORDS = new Set([
  'key',
  'apikey',
  'token',
  'secret',
  'password',
  'passwd',
  'pwd',
  'credential',
  'credentials',
  'salt',
]);

/**
 * Whether a config key names a secret: `api_key`, `apiKey`, `access_token`, `client_secret`, `password`.
 * Matched per word rather than by substring so that `keyword` (a search filter) stays readable.
 */
export function isSecretKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((w) => SECRET_WORDS.has(w));
}

/** A copy of a config with secret-named values replaced by `***` and registered secrets masked elsewhere. */
export function redactConfig<T>(cfg: T): T {
  return redactValue(cfg, false) as T;
}

function redactValue(value: unknown, secret: boolean): unknown {
  if (secret && value !== null && value !== undefined) return MASK;
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, false));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, isSecretKey(k))]));
  }
  return value;
}
