import { z } from 'zod';
import { got, type UnknownKeyOptions, unknownKeysMessage } from './issues.js';

/**
 * Field builders shared by the engine's pipeline schema and the connectors' stream schemas, so every
 * field of pipeline.yaml validates, coerces and words its errors the same way.
 */

type Issue = z.core.$ZodRawIssue;

/**
 * Schemas whose values may arrive as `${VAR}` strings; the editor JSON Schema lets a `${...}` string
 * through for them (see json-schema.ts). Validation itself happens after interpolation.
 */
export const envReferenceAllowed = new WeakSet<z.ZodType>();

function allowEnvReference<T extends z.ZodType>(schema: T): T {
  envReferenceAllowed.add(schema);
  return schema;
}

/** A mapping that rejects unknown keys, naming each and listing the valid ones (with a did-you-mean). */
export function strictObject<S extends z.core.$ZodLooseShape>(shape: S, options: UnknownKeyOptions = {}) {
  const valid = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? unknownKeysMessage(iss.keys, valid, options) : undefined,
  });
}

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

// `${VAR}` values arrive as strings; a numeric string is a number, anything else is left for the error
function fromNumericString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  return NUMERIC.test(text) ? Number(text) : value;
}

function fromBooleanString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : value;
}

function required(iss: Issue, message: string): string {
  return iss.input === undefined ? 'required' : message;
}

/** An integer in [min, max] (max optional); numeric strings such as "4" are accepted. */
export function envInt(min: number, max?: number) {
  const range = max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
  const error = (iss: Issue) => required(iss, `expected an integer ${range}, ${got(iss)}`);
  const base = z.int({ error }).min(min, { error });
  return z.preprocess(
    fromNumericString,
    allowEnvReference(max === undefined ? base : base.max(max, { error })),
  );
}

/**
 * `auto` (the engine decides) or an integer in [min, max]; numeric strings such as "7" are accepted. `auto`
 * comes first in the message because it is the default.
 */
export function envIntOrAuto(min: number, max: number) {
  const error = (iss: Issue) =>
    required(iss, `expected auto or an integer from ${min} to ${max}, ${got(iss)}`);
  const int = z.int({ error }).min(min, { error }).max(max, { error });
  return z.preprocess(fromNumericString, allowEnvReference(z.union([z.literal('auto'), int], { error })));
}

/** A number above `gt` and at most `max`; numeric strings are accepted. */
export function envNumber(bounds: { gt: number; max: number }) {
  const error = (iss: Issue) =>
    required(iss, `expected a number > ${bounds.gt} and <= ${bounds.max}, ${got(iss)}`);
  return z.preprocess(
    fromNumericString,
    allowEnvReference(z.number({ error }).gt(bounds.gt, { error }).max(bounds.max, { error })),
  );
}

/** A count (integer >= 0) or a fraction (0 < x < 1): how many of something to tolerate. */
export function envCountOrFraction() {
  const error = (iss: Issue) =>
    required(iss, `expected a count (integer >= 0) or a fraction between 0 and 1, ${got(iss)}`);
  const countOrFraction = z
    .number({ error })
    .refine((n) => (Number.isInteger(n) ? n >= 0 : n > 0 && n < 1), { error })
    .meta({
      anyOf: [
        { type: 'integer', minimum: 0 },
        { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      ],
    });
  return z.preprocess(fromNumericString, allowEnvReference(countOrFraction));
}

/** true or false; the strings "true"/"false" (from `${VAR}`) are accepted too. */
export function envBoolean() {
  const error = (iss: Issue) => required(iss, `expected true or false, ${got(iss)}`);
  return z.preprocess(fromBooleanString, allowEnvReference(z.boolean({ error })));
}

export const IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;

/** A lower-case identifier: safe in state keys, file names and SQL without quoting. */
export function identifier() {
  return z.string().regex(IDENTIFIER, {
    error: (iss) => `expected an identifier matching ${IDENTIFIER.source}, ${got(iss)}`,
  });
}

const SIZE = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/** A size as DuckDB writes it: `128MB`, `1.5GiB`. */
export function byteSize() {
  return z
    .string()
    .trim()
    .regex(SIZE, { error: (iss) => `expected a size such as 128MB or 1GiB, ${got(iss)}` });
}

/** A non-empty string. */
export function nonEmptyString() {
  return z.string().min(1);
}

/** A real calendar date written YYYY-MM-DD (2023-02-29 is refused). */
export function calendarDate() {
  return allowEnvReference(z.iso.date());
}

/** A UUID in its 8-4-4-4-12 hex form (any version). */
export function uuid() {
  return allowEnvReference(z.guid());
}

/** A file or directory path from config: non-empty, no NUL byte (which the OS would truncate at). */
export function filePath() {
  return z
    .string()
    .min(1)
    .refine((s) => !s.includes('\u0000'), { error: 'must not contain a NUL character' });
}

/**
 * `null` means empty: in YAML, `calls:` with nothing after it, or `filters:` whose entries are all
 * commented out, parse as null where the writer meant "nothing here, use the defaults".
 */
export function nullAsEmpty<T extends z.ZodType>(schema: T, empty: () => unknown = () => ({})) {
  return z.preprocess((value: unknown) => (value === null ? empty() : value), schema);
}
