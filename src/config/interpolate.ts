import { formatPath } from './issues.js';
import { isSecretKey } from './redact.js';

/** An unset variable without a default; its reference became ''. */
export interface MissingVariable {
  path: string;
  segments: PropertyKey[];
  variable: string;
}

/** A `${...}` that is not `${NAME}` or `${NAME:-default}`; left as written. */
export interface InvalidReference {
  path: string;
  segments: PropertyKey[];
  reference: string;
}

export interface InterpolationResult {
  value: unknown;
  missing: MissingVariable[];
  invalid: InvalidReference[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// `$${` (escape), a `${...}` reference, or an unterminated `${`
const TOKEN = /\$\$\{|\$\{([^}]*)(\})?/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of a parsed document (keys stay as written);
 * `$${` is a literal `${`. As in the shell, `:-` takes the default when the variable is unset or empty.
 * An unset variable without a default becomes '' and is reported in `missing`, so validation can name
 * the variable rather than complain about an empty value.
 */
export interface InterpolateOptions {
  /**
   * Secrets may be unset: a missing variable under a secret-named key (api_key) becomes UNSET_SECRET and is not
   * reported. For commands that never send a request (state, runs, query), which must work without the key.
   */
  readonly optionalSecrets?: boolean;
  /** Secrets under these paths (given as their first segments) may be unset, as with `optionalSecrets`. */
  readonly optionalSecretsUnder?: readonly (readonly PropertyKey[])[];
}

/** What an unset secret becomes with `optionalSecrets`: valid as a key, never sent anywhere. */
export const UNSET_SECRET = 'unset-secret';

export function interpolate(
  value: unknown,
  env: NodeJS.ProcessEnv | Readonly<Record<string, string | undefined>>,
  options: InterpolateOptions = {},
): InterpolationResult {
  const result: InterpolationResult = { value: undefined, missing: [], invalid: [] };
  result.value = walk(value, env, [], result, options);
  return result;
}

function walk(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  segments: PropertyKey[],
  out: InterpolationResult,
  options: InterpolateOptions,
): unknown {
  if (typeof value === 'string') return interpolateString(value, env, segments, out, options);
  if (Array.isArray(value)) return value.map((item, i) => walk(item, env, [...segments, i], out, options));
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties, so a `__proto__` key stays a plain (and later rejected) key
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, walk(item, env, [...segments, key], out, options)]),
    );
  }
  return value;
}

function interpolateString(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  segments: PropertyKey[],
  out: InterpolationResult,
  options: InterpolateOptions,
): string {
  const path = formatPath(segments);
  const last = segments[segments.length - 1];
  const optional =
    typeof last === 'string' &&
    isSecretKey(last) &&
    (options.optionalSecrets === true ||
      (options.optionalSecretsUnder ?? []).some((p) => p.every((s, i) => segments[i] === s)));
  if (!text.includes('${')) return text;
  return text.replace(TOKEN, (match: string, body: string | undefined, close: string | undefined) => {
    if (match === '$${') return '${';
    const colon = body === undefined ? -1 : body.indexOf(':-');
    const name = colon === -1 ? body : body?.slice(0, colon);
    if (close === undefined || name === undefined || !NAME.test(name)) {
      out.invalid.push({ path, segments, reference: match });
      return match;
    }
    const set = env[name];
    if (colon !== -1) return set === undefined || set === '' ? (body ?? '').slice(colon + 2) : set;
    if (set === undefined) {
      if (optional) return UNSET_SECRET;
      out.missing.push({ path, segments, variable: name });
      return '';
    }
    return set;
  });
}
