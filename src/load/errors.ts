import { SyncError } from '../errors.js';

/** Another run holds the destination's one-writer lock. */
export class LockedError extends SyncError {
  /** The holder's process id, when the lock names one. */
  readonly pid: number | undefined;

  constructor(
    message: string,
    options: { cause?: unknown; pid?: number; context?: Record<string, unknown> } = {},
  ) {
    super('CS_LOCKED', message, { cause: options.cause, context: { ...options.context, pid: options.pid } });
    this.pid = options.pid;
  }
}

/** Who holds a lock: `pid 123 on host since 2026-...` (what is known of it). */
export function describeHolder(holder: { pid?: number; hostname?: string; since?: Date }): string {
  return [
    holder.pid === undefined ? 'unknown pid' : `pid ${holder.pid}`,
    holder.hostname ? `on ${holder.hostname}` : '',
    holder.since ? `since ${holder.since.toISOString()}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** The message both destinations use, so scripts and people see one wording. */
export function lockedMessage(
  target: string,
  holder: { pid?: number; hostname?: string; since?: Date },
  waitedMs?: number,
  hint = '',
): string {
  const who = describeHolder(holder);
  const waited = waitedMs === undefined ? '' : ` (gave up after waiting ${waitedMs} ms)`;
  return `another run holds ${target} (${who}); wait for it or pass --wait${waited}${hint}`;
}
