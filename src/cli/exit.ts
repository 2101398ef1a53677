import { redact } from '../config/redact.js';
import { describeError, SyncError } from '../errors.js';

/** Exit codes scripts can branch on. */
export const EXIT = { ok: 0, failed: 1, config: 2, auth: 3, locked: 4 } as const;

export function exitCodeFor(err: unknown): number {
  const code = err instanceof SyncError ? err.code : undefined;
  if (code === 'CS_CONFIG') return EXIT.config;
  if (code === 'CS_AUTH') return EXIT.auth;
  if (code === 'CS_LOCKED') return EXIT.locked;
  return EXIT.failed;
}

/** One line on stderr, secrets scrubbed; the stack only with CALLSCALER_DEBUG=1. */
export function reportFatal(err: unknown): number {
  const code = err instanceof SyncError ? ` [${err.code}]` : '';
  process.stderr.write(`callscaler-sync: error${code}: ${redact(describeError(err))}\n`);
  if (process.env.CALLSCALER_DEBUG === '1' && err instanceof Error && err.stack) {
    process.stderr.write(`${redact(err.stack)}\n`);
  }
  return exitCodeFor(err);
}
