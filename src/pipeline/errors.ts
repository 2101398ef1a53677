import { DataError, describeError, SyncError } from '../errors.js';
import { isTemporary } from '../http/retry.js';
import type { RejectRow } from '../load/destination.js';

/**
 * A window of a stream failed: the window travels as data, the cause keeps its code (auth, HTTP, data...).
 * The message names the window, unless the cause already said where in the window it happened (a stream's
 * error with `context.window`, e.g. `GET /calls/export window W line 7: ...`).
 */
export class WindowError extends SyncError {
  readonly stream: string;
  readonly window: string;

  constructor(stream: string, window: string, cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const code = cause instanceof SyncError ? cause.code : 'CS_WINDOW';
    const context = cause instanceof SyncError ? cause.context : {};
    const located = context.window === window ? message : `${stream} window ${window}: ${message}`;
    super(code, located, { cause, context: { ...context, stream, window } });
    this.stream = stream;
    this.window = window;
  }
}

/** `err` as a WindowError of this window (unchanged when it already is one). */
export function windowError(stream: string, window: string, err: unknown): WindowError {
  if (err instanceof WindowError && err.stream === stream && err.window === window) return err;
  return new WindowError(stream, window, err);
}

/**
 * Several accounts of one run failed (each was attempted; the others committed their rows). Its code is the
 * one to act on first: an authentication failure, then a failure to look at, then a temporary one.
 */
export class AccountsFailedError extends SyncError {
  readonly failures: readonly { readonly account: string; readonly error: unknown }[];

  constructor(failures: readonly { account: string; error: unknown }[]) {
    const codeOf = (e: unknown) => (e instanceof SyncError ? e.code : 'CS_INTERNAL');
    const first =
      failures.find((f) => codeOf(f.error) === 'CS_AUTH') ??
      failures.find((f) => !isTemporary(f.error)) ??
      failures[0];
    const each = failures.map((f) => `account ${f.account}: ${describeError(f.error)}`).join('; ');
    super(codeOf(first.error), `${failures.length} accounts failed: ${each}`, {
      context: { accounts: failures.map((f) => f.account) },
    });
    this.failures = failures;
  }
}

/**
 * A window with more rejected records than `max_rejected`: nothing of it is committed, but its rejects are
 * kept (the run writes them to `_rejected` before it stops), so the reasons can be read where they always are.
 */
export class TooManyRejectedError extends DataError {
  constructor(
    message: string,
    readonly rejects: readonly RejectRow[],
    context: Record<string, unknown>,
  ) {
    super(message, { context });
  }
}

/** The TooManyRejectedError behind `err`, if one is. */
export function tooManyRejectedIn(err: unknown): TooManyRejectedError | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    if (e instanceof TooManyRejectedError) return e;
  }
  return undefined;
}
