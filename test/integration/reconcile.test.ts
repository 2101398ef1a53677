import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineYaml } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { runYaml } from '../helpers/in-process.js';
import { useSimulator } from '../helpers/simulator.js';

/**
 * A proxy in front of the simulator that over-reports `total` on list pages of one created-date window,
 * as a provider whose count and data disagree would.
 */
async function lyingProxy(target: string, window: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const upstream = await fetch(`${target}${req.url?.replace(/^\/api\/v1/, '')}`, {
      headers: { authorization: req.headers.authorization ?? '' },
    });
    let body = await upstream.text();
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.endsWith('/calls') && url.searchParams.get('start_date') === window) {
      const json = JSON.parse(body);
      json.data.total += 7;
      body = JSON.stringify(json);
    }
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
      date: upstream.headers.get('date') ?? new Date().toUTCString(),
    });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('reconciliation of the API total with the records received', () => {
  const fixture = useSimulator({ seed: 8, size: 1500 });
  let proxy: { url: string; close(): Promise<void> };
  let env: Record<string, string>;
  const yaml = (db: string) =>
    pipelineYaml({
      destination: { type: 'duckdb', path: db },
      streamExtra: '    start_date: 2026-10-01\n    end_date: 2026-10-15\n    window_days: 7',
    });

  beforeAll(async () => {
    proxy = await lyingProxy(fixture.sim.url, '2026-10-08');
    env = { ...fixture.env, CALLSCALER_BASE_URL: proxy.url };
  });
  // Runs before the simulator closes (after-hooks run last-registered first).
  afterAll(() => proxy.close());

  it('reports the difference in the summary and in _sync_runs', async () => {
    const db = fixture.path('r.duckdb');
    const summary = await runYaml(yaml(db), env);
    const [m] = summary.streams[0].mismatches;
    expect(summary.streams[0].mismatches).toHaveLength(1);
    expect(m.window).toBe('2026-10-08..2026-10-15');
    expect(m.expected - m.loaded).toBe(7);
    const [run] = await query<{ n: number }>(
      db,
      "SELECT json_array_length(details, '$.streams[0].mismatches')::INTEGER AS n FROM _sync_runs",
    );
    expect(run.n).toBe(1);
  });

  it('--strict fails that window and commits nothing of it', async () => {
    const db = fixture.path('s.duckdb');
    const err = await runYaml(yaml(db), env, { strict: true }).catch((e) => e);
    expect(String(err)).toMatch(/calls window 2026-10-08\.\.2026-10-15: reconciliation failed \(--strict\)/);
    const [row] = await query<{ n: number }>(
      db,
      "SELECT count(*)::INTEGER AS n FROM calls WHERE call_date >= DATE '2026-10-08'",
    );
    expect(row.n).toBe(0);
  });
});
