import { redact } from '../config/redact.js';
import { describeError, SyncError } from '../errors.js';
import { isTemporary } from '../http/retry.js';
import { AccountsFailedError } from '../pipeline/errors.js';

/**
 * Exit codes a scheduler can branch on: retry a 75 later as it is; a 1 or a 3 needs a person (the data, or
 * the key); a 2 is the command or the config; a 4 means another run holds the destination.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, auth: 3, locked: 4, temporary: 75 } as const;

/** When several accounts fail differently, the code that applies first. */
const PRIORITY: readonly number[] = [EXIT.auth, EXIT.usage, EXIT.locked, EXIT.failed, EXIT.temporary];

export function exitCodeFor(err: unknown): number {
  if (err instanceof AccountsFailedError) {
    const codes = new Set(err.failures.map((f) => exitCodeFor(f.error)));
    return PRIORITY.find((c) => codes.has(c)) ?? EXIT.failed;
  }
  const code = err instanceof SyncError ? err.code : undefined;
  if (code === 'CS_CONFIG') return EXIT.usage;
  if (code === 'CS_AUTH') return EXIT.auth;
  if (code === 'CS_LOCKED') return EXIT.locked;
  if (isTemporary(err)) return EXIT.temporary;
  return EXIT.failed;
}

/** What went wrong, on stderr: one line (a config error, one line per problem); secrets scrubbed. */
export function reportFatal(err: unknown): number {
  const code = err instanceof SyncError ? ` [${err.code}]` : '';
  const lines = problemLines(err) ?? [describeError(err)];
  for (const line of lines) process.stderr.write(`callscaler-sync: error${code}: ${redact(line)}\n`);
  if (process.env.CALLSCALER_DEBUG === '1' && err instanceof Error && err.stack) {
    process.stderr.write(`${redact(err.stack)}\n`);
  }
  return exitCodeFor(err);
}

/** A pipeline file's problems, each with its file and line (see PipelineFileError). */
function problemLines(err: unknown): string[] | undefined {
  const lines = (err as { lines?: unknown } | null)?.lines;
  return typeof lines === 'function' ? (lines.call(err) as string[]) : undefined;
}
