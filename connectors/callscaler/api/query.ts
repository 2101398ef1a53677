import type { Window } from '../../../src/connector/stream.js';
import type { CallsStreamConfig } from '../config.js';

export type Query = Record<string, string | number | boolean | undefined>;

/**
 * The query for one window of the calls stream: the configured filters, the window's created-date range
 * and updated_since, and include. Shared by the list and export paths so both ask for the same calls.
 */
export function windowQuery(cfg: CallsStreamConfig, window: Window): Query {
  const q: Query = {};
  for (const [name, value] of Object.entries(cfg.filters ?? {})) {
    if (value !== undefined && value !== null) q[name] = value as string | number | boolean;
  }
  if (window.startDate) q.start_date = window.startDate;
  if (window.endDate) q.end_date = window.endDate;
  if (window.updatedSince) q.updated_since = window.updatedSince;
  if (cfg.include.length > 0) q.include = cfg.include.join(',');
  return q;
}
