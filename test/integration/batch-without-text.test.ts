import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { pipelineYaml } from '../helpers/cli.js';
import { comparableCall, loadedCalls } from '../helpers/duckdb.js';
import { httpTestKit } from '../helpers/http-server.js';
import { runYaml } from '../helpers/in-process.js';
import { useSimulator } from '../helpers/simulator.js';

const TEXT = ['transcription', 'summary'];

async function bodyOf(req: IncomingMessage): Promise<Buffer | undefined> {
  if (req.method !== 'POST') return undefined;
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/**
 * A CallScaler whose batch reply leaves the large text fields out (as the list does without include): the
 * simulator behind a proxy that strips transcription and summary from every POST /calls/batch record.
 */
// One detail request a call: the default budget of 10 requests a second would make this test wait ~30 s.
const FAST = '  requests_per_second: 1000';

describe('a batch reply without transcription and summary', () => {
  const f = useSimulator({ size: 300, faults: { csv: { textColumns: false } } });
  const { serve } = httpTestKit();

  async function proxy() {
    const origin = new URL(f.sim.url).origin;
    return serve((req, res) => {
      void (async () => {
        const body = await bodyOf(req);
        const upstream = await fetch(`${origin}${req.url}`, {
          method: req.method,
          headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' },
          body,
        });
        let text = Buffer.from(await upstream.arrayBuffer());
        if (req.method === 'POST' && req.url?.endsWith('/calls/batch') && upstream.ok) {
          const reply = JSON.parse(text.toString()) as { data: { calls: Record<string, unknown>[] } };
          for (const call of reply.data.calls) {
            delete call.transcription;
            delete call.summary;
          }
          text = Buffer.from(JSON.stringify(reply));
        }
        const headers: Record<string, string> = {};
        for (const name of ['content-type', 'date', 'retry-after']) {
          const v = upstream.headers.get(name);
          if (v !== null) headers[name] = v;
        }
        res.writeHead(upstream.status, { ...headers, 'content-length': String(text.length) });
        res.end(text);
      })();
    });
  }

  it('text fill completes each call from GET /calls/:id: every text equals the simulator, one detail request a call', async () => {
    const api = await proxy();
    const db = f.path('fill.duckdb');
    const before = f.sim.requestLog.length;
    const summary = await runYaml(
      pipelineYaml({
        extract: 'export',
        include: TEXT,
        destination: { type: 'duckdb', path: db },
        sourceExtra: FAST,
      }),
      { ...f.env, CALLSCALER_BASE_URL: api.url },
    );
    expect(await loadedCalls({ duckdb: db }, TEXT)).toEqual(
      f.sim.calls().map((c) => comparableCall(c, TEXT)),
    );
    const details = f.sim.requestLog
      .slice(before)
      .filter((r) => r.method === 'GET' && /\/calls\/[0-9a-f-]{36}$/.test(r.path));
    expect(details).toHaveLength(f.sim.calls().length);
    expect(summary.streams[0].counters).toMatchObject({
      text_filled: f.sim.calls().length,
      text_detail_lookups: f.sim.calls().length,
    });
  });

  it('a lookup completes them the same way and does not wipe stored text', async () => {
    const api = await proxy();
    const db = f.path('lookup.duckdb');
    const env = { ...f.env, CALLSCALER_BASE_URL: api.url };
    const yaml = pipelineYaml({
      include: TEXT,
      destination: { type: 'duckdb', path: db },
      sourceExtra: FAST,
    });
    await runYaml(yaml, env);
    const ids = f.sim
      .calls()
      .slice(0, 120)
      .map((c) => c.id);
    const summary = await runYaml(yaml, env, { lookup: ids });
    expect(summary.streams[0]).toMatchObject({ rows: 120, counters: { detail_lookups: 120 } });
    expect(await loadedCalls({ duckdb: db }, TEXT)).toEqual(
      f.sim.calls().map((c) => comparableCall(c, TEXT)),
    );
  });
});
