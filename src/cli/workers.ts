import { ConfigError } from '../errors.js';

/** Decode threads from CALLSCALER_WORKERS (1 to 64); undefined leaves the engine's default. */
export function workersFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const set = env.CALLSCALER_WORKERS;
  if (set === undefined || set === '') return undefined;
  const n = Number(set);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new ConfigError(
      `CALLSCALER_WORKERS must be a whole number from 1 to 64 (got ${JSON.stringify(set)})`,
    );
  return n;
}
