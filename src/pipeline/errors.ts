import { SyncError } from '../errors.js';

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
