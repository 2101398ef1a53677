import type { SerializedError } from './errors.js';

/** A task posted to a worker. */
export interface TaskMessage<P = unknown> {
  readonly id: number;
  readonly payload: P;
}

/** What a worker posts back: zero or more parts, then done or error. */
export type TaskReply =
  | { readonly id: number; readonly kind: 'part'; readonly value: unknown }
  | { readonly id: number; readonly kind: 'done'; readonly value: unknown }
  | { readonly id: number; readonly kind: 'error'; readonly error: SerializedError };
