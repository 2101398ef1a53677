/**
 * `/_sim/*` control endpoints: the same switches as the in-process API, for a simulator running in
 * another process. No auth, and not counted as API requests (faults never apply to them).
 */
import { SimApiError } from './errors.js';
import { jsonReply, type Reply } from './reply.js';
import type { FaultSwitches, MutationResult } from './types.js';

export interface Controls {
  setFaults(patch: unknown): FaultSwitches;
  resetFaults(): FaultSwitches;
  mutate(m: { add?: number; change?: number }): MutationResult;
  stats(): { requestCount: number; size: number };
}

function parseJson(body: Buffer | null): unknown {
  const text = body?.toString('utf8').trim() ?? '';
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new SimApiError(400, 'invalid_body', 'body: must be JSON');
  }
}

function count(value: unknown, name: string): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || (value as number) < 0) {
    throw new SimApiError(400, 'invalid_body', `${name}: expected a non-negative integer`);
  }
  return value as number;
}

export function handleControl(c: Controls, method: string, path: string, body: Buffer | null): Reply {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  switch (route) {
    case 'POST /_sim/faults':
      return jsonReply(200, { faults: c.setFaults(parseJson(body)) });
    case 'POST /_sim/reset-faults':
      return jsonReply(200, { faults: c.resetFaults() });
    case 'POST /_sim/mutate': {
      const m = parseJson(body) as { add?: unknown; change?: unknown };
      return jsonReply(200, c.mutate({ add: count(m?.add, 'add'), change: count(m?.change, 'change') }));
    }
    case 'GET /_sim/stats':
      return jsonReply(200, c.stats());
    default:
      throw new SimApiError(404, 'not_found', `No such control endpoint: ${method} ${path}`);
  }
}
