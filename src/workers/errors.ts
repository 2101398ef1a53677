import { ConfigError, DataError, LoadError, SyncError } from '../errors.js';
import { BodyFormatError } from '../http/errors.js';

/**
 * Errors cross the worker boundary as plain data and come back as the same class, with the same message, code,
 * context and own fields, so callers (retries, exit codes, tests) cannot tell where they were thrown.
 */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** Own enumerable fields (code, context, endpoint, ...): plain data only. */
  readonly fields: Record<string, unknown>;
  /** The names of the error's classes, its own first (a subclass of one below comes back as that one). */
  readonly classes?: readonly string[];
}

/**
 * Classes a worker may throw and the caller may test for. An error of a subclass of these (a connector's own)
 * comes back as the nearest of them, with its name, code and fields; anything else as an Error.
 */
const CLASSES: Readonly<Record<string, { prototype: Error }>> = {
  SyncError,
  ConfigError,
  DataError,
  LoadError,
  BodyFormatError,
};

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(err)) if (k !== 'cause' && isPlain(v)) fields[k] = v;
  const classes: string[] = [];
  for (let p = Object.getPrototypeOf(err); p && p !== Error.prototype; p = Object.getPrototypeOf(p))
    classes.push(p.constructor.name);
  return { name: err.name, message: err.message, stack: err.stack, fields, classes };
}

export function reviveError(s: SerializedError): Error {
  const known = [s.name, ...(s.classes ?? [])].find((n) => Object.hasOwn(CLASSES, n));
  const cls = known === undefined ? undefined : CLASSES[known];
  const err: Error = cls ? Object.create(cls.prototype) : new Error(s.message);
  Object.defineProperty(err, 'message', { value: s.message, writable: true, configurable: true });
  if (s.stack !== undefined)
    Object.defineProperty(err, 'stack', { value: s.stack, writable: true, configurable: true });
  Object.assign(err, s.fields);
  if (known !== s.name && s.name !== 'Error') err.name = s.name;
  return err;
}

function isPlain(v: unknown): boolean {
  if (v === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof v)) return true;
  if (Array.isArray(v)) return v.every(isPlain);
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
    return Object.values(v as object).every(isPlain);
  return false;
}
