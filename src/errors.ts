/**
 * Errors carry a stable code (for scripts and tests) and the context a person needs at 3 a.m.
 * Wrap lower-level errors with `cause`; never swallow them.
 */
export class SyncError extends Error {
  readonly code: string;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; context?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = Object.freeze({ ...(options.context ?? {}) });
  }
}

export class ConfigError extends SyncError {
  constructor(message: string, options: { cause?: unknown; context?: Record<string, unknown> } = {}) {
    super('CS_CONFIG', message, options);
  }
}

export class DataError extends SyncError {
  constructor(message: string, options: { cause?: unknown; context?: Record<string, unknown> } = {}) {
    super('CS_DATA', message, options);
  }
}

export class LoadError extends SyncError {
  constructor(message: string, options: { cause?: unknown; context?: Record<string, unknown> } = {}) {
    super('CS_LOAD', message, options);
  }
}

/** A one-line description of any thrown value, following `cause` chains. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  let msg = err.message;
  let cause: unknown = err.cause;
  for (let depth = 0; cause instanceof Error && depth < 4; depth++) {
    if (!msg.includes(cause.message)) msg += `: ${cause.message}`;
    cause = cause.cause;
  }
  return msg.replace(/\s*\n\s*/g, ' ');
}

/** An error as a summary carries it: a stable code and one line. */
export function errorSummary(err: unknown): { code: string; message: string } {
  return { code: err instanceof SyncError ? err.code : 'CS_INTERNAL', message: describeError(err) };
}
