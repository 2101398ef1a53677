/** A decode module for the engine's decode threads in tests: a payload is a list of events (or a failure). */
import type { DecodedRows, DecodeFn } from '../../src/connector/stream.js';
import { DataError } from '../../src/errors.js';
import { type Ev, eventsBatch } from './load-events.js';

export type TestDecodePayload = { events: Ev[]; head?: string; handBack?: boolean } | { fail: string };

export const decode: DecodeFn<TestDecodePayload, string> = (payload, head): DecodedRows => {
  if ('fail' in payload) throw new DataError(payload.fail, { context: { page: 3 } });
  if (payload.head !== undefined) head(payload.head);
  return {
    batch: eventsBatch(payload.events).batches[0] ?? null,
    rejects: [],
    received: payload.events.length,
    handBack: payload.handBack,
  };
};
