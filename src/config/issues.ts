import type { z } from 'zod';
import { editDistance } from '../edit-distance.js';
import { isSecretKey, redact } from './redact.js';

/** One config problem: a dotted path (`streams.calls.extract`, '' for the document) and a one-line message. */
export interface ConfigProblem {
  path: string;
  message: string;
}

type RawIssue = z.core.$ZodRawIssue;
type PathSegment = PropertyKey;

const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const MAX_SHOWN = 5;

/** `['streams', 'calls', 'include', 1]` -> `streams.calls.include[1]`; odd keys are quoted so a path stays one line. */
export function formatPath(segments: readonly PathSegment[], prefix = ''): string {
  let out = prefix;
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const key = String(seg);
      if (SIMPLE_KEY.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** A short, single-line rendering of a config value for messages. */
export function describeConfigValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

/** `got <value>` for an issue, without ever echoing a value that sits under a secret-looking key. */
export function got(issue: { input?: unknown; path?: readonly PathSegment[] }): string {
  const secret = (issue.path ?? []).some((seg) => typeof seg === 'string' && isSecretKey(seg));
  return `got ${secret ? typeName(issue.input) : describeConfigValue(issue.input)}`;
}

/** `"a" | "b"` style listing used by enum messages: bare words stay bare, the rest are JSON. */
export function listValues(values: readonly unknown[], separator = ' | '): string {
  return values
    .map((v) => (typeof v === 'string' && SIMPLE_KEY.test(v) ? v : JSON.stringify(v)))
    .join(separator);
}

function suggestion(key: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of valid) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.min(3, Math.floor(best.length / 3)))
    ? best
    : undefined;
}

export interface UnknownKeyOptions {
  /** What a key of this mapping is called in messages ('key', 'stream'). */
  noun?: string;
  /** Pointed messages for keys that look plausible but belong elsewhere. */
  hints?: Readonly<Record<string, string>>;
}

/**
 * The message for an `unrecognized_keys` issue: one line per key, in `keys` order. `formatZodIssues`
 * splits it again so each key is reported at its own path (`destinaton: unknown key, ...`).
 */
export function unknownKeysMessage(
  keys: readonly string[],
  valid: readonly string[],
  options: UnknownKeyOptions = {},
): string {
  const noun = options.noun ?? 'key';
  const listing = noun === 'key' ? `valid keys: ${valid.join(', ')}` : `known ${noun}s: ${valid.join(', ')}`;
  return keys
    .map((key) => {
      const hint = options.hints && Object.hasOwn(options.hints, key) ? options.hints[key] : undefined;
      if (hint !== undefined) return hint;
      const near = suggestion(key, valid);
      return near === undefined
        ? `unknown ${noun} (${listing})`
        : `unknown ${noun}, did you mean "${near}"? (${listing})`;
    })
    .join('\n');
}

function numberBound(issue: RawIssue & { code: 'too_small' | 'too_big' }): string {
  if (issue.code === 'too_small') return `${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
  return `${issue.inclusive ? '<=' : '<'} ${issue.maximum}`;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  null: 'null',
};

const FORMATS: Record<string, string> = {
  guid: 'a UUID',
  uuid: 'a UUID',
  url: 'a URL',
  date: 'a calendar date YYYY-MM-DD',
  datetime: 'an ISO 8601 timestamp',
  email: 'an email address',
};

/**
 * The config layer's messages for zod issues: short, lower-case, `expected X, got Y`. Schemas that know
 * better set their own `error`, which zod consults first; this map is the fallback passed at parse time.
 */
export function configErrorMap(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, ${got(issue)}`;
    case 'invalid_value':
      if (issue.input === undefined) {
        return issue.values.length === 1
          ? `required, expected ${listValues(issue.values)}`
          : `required, one of ${listValues(issue.values)}`;
      }
      if (issue.values.length === 1) return `expected ${listValues(issue.values)}, ${got(issue)}`;
      return `expected one of ${listValues(issue.values)}, ${got(issue)}`;
    case 'invalid_union': {
      const options = 'options' in issue ? (issue.options as readonly unknown[] | undefined) : undefined;
      if (issue.discriminator !== undefined && options) {
        if (issue.input === undefined) return 'required';
        // zod reports a non-mapping as invalid_type before it looks for the discriminator
        const value = (issue.input as Record<string, unknown>)[issue.discriminator];
        if (value === undefined) return `required, one of ${listValues(options)}`;
        return `expected one of ${listValues(options)}, ${got({ input: value, path: issue.path })}`;
      }
      return `invalid value, ${got(issue)}`;
    }
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? 'must not be empty'
          : `expected at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `expected at least ${issue.minimum} item(s)`;
      return `expected a number ${numberBound(issue)}, ${got(issue)}`;
    case 'too_big':
      if (issue.origin === 'string') return `too long (at most ${issue.maximum} characters)`;
      if (issue.origin === 'array') return `expected at most ${issue.maximum} item(s)`;
      return `expected a number ${numberBound(issue)}, ${got(issue)}`;
    case 'invalid_format':
      if (issue.format === 'regex') return `expected a value matching ${issue.pattern}, ${got(issue)}`;
      return `expected ${FORMATS[issue.format] ?? issue.format}, ${got(issue)}`;
    case 'unrecognized_keys': {
      const shape = (issue.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
      return unknownKeysMessage(issue.keys, shape ? Object.keys(shape) : []);
    }
    default:
      return undefined;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** Flattens zod issues into problems with dotted paths; an unknown key is reported at its own path. */
export function formatZodIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const parts = issue.message.split('\n');
      if (parts.length === issue.keys.length) {
        issue.keys.forEach((key, i) => {
          problems.push({ path: formatPath([...issue.path, key], prefix), message: parts[i] });
        });
        continue;
      }
    }
    problems.push({ path: formatPath(issue.path, prefix), message: oneLine(issue.message) });
  }
  return problems;
}

/**
 * `<origin>: <path>: <message>` for each problem, joined with `; `, at most five then `(+N more)`.
 * Registered secrets are masked, so a key that slipped into a value never reaches the message.
 */
export function joinProblems(origin: string, problems: readonly ConfigProblem[]): string {
  const unique = [...new Map(problems.map((p) => [`${p.path}\u0000${p.message}`, p])).values()];
  const shown = unique
    .slice(0, MAX_SHOWN)
    .map((p) => (p.path === '' ? `${origin}: ${p.message}` : `${origin}: ${p.path}: ${p.message}`));
  const rest = unique.length - shown.length;
  return redact(oneLine(shown.join('; ') + (rest > 0 ? ` (+${rest} more)` : '')));
}
