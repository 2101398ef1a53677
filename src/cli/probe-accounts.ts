import { RequestBudget } from '../http/budget.js';
import { HttpClient } from '../http/client.js';
import type { SourceOptions } from './source-options.js';

/** At most this many retries for `check`: it answers a person, who would rather see 75 soon. */
const CHECK_RETRIES = 2;

/**
 * One authenticated request per account (the first stream's probe: e.g. GET /calls?limit=1), reading the
 * provider's clock. Throws the first failure (an AuthError, or a temporary one), as a run would.
 */
export async function probeAccounts(o: SourceOptions): Promise<string[]> {
  const stream = o.streams[0];
  if (!stream) return ['no stream configured: nothing to ask the API'];
  const lines: string[] = [];
  for (const account of o.accounts) {
    const http = new HttpClient({
      baseUrl: account.baseUrl ?? o.source.base_url,
      headers: account.headers,
      authHint: o.authHint,
      timeoutMs: o.source.timeout_ms,
      retry: {
        maxRetries: Math.min(o.source.max_retries, CHECK_RETRIES),
        baseDelayMs: 500,
        maxDelayMs: 5000,
      },
      budget: new RequestBudget({ concurrency: 1, requestsPerSecond: o.source.requests_per_second }),
    });
    try {
      const ctx = {
        http,
        account: account.name,
        runId: 'check',
        syncedAtMs: Date.now(),
        signal: new AbortController().signal,
      };
      const probe = await stream.probe(ctx);
      const oldest = probe.earliest ? `, oldest record ${probe.earliest}` : ', no records yet';
      lines.push(
        `account ${account.name}: ${stream.name} answered (provider clock ${probe.serverDate.toISOString()}${oldest})`,
      );
    } finally {
      await http.close();
    }
  }
  return lines;
}
