import { beforeEach, describe, expect, it } from 'vitest';
import type { FaultSwitches } from '../../connectors/callscaler/simulator/index.js';
import type { SyncError } from '../../src/errors.js';
import { BodyFormatError } from '../../src/http/errors.js';
import { pipelineYaml } from '../helpers/cli.js';
import { comparableCall, expectFailedRun, loadedCalls, savedWatermark } from '../helpers/duckdb.js';
import { runYaml } from '../helpers/in-process.js';
import { useSimulator } from '../helpers/simulator.js';

const INCLUDE = ['transcription', 'summary'];

describe('fault matrix: every run still ends exactly right', () => {
  const fixture = useSimulator({ seed: 5, size: 1200 });
  const yaml = (db: string) =>
    pipelineYaml({
      destination: { type: 'duckdb', path: db },
      sourceExtra: '  page_size: 200\n  timeout_ms: 1000\n  max_retries: 4\n  concurrency: 2',
      streamExtra: '    window_days: 30',
    });

  beforeEach(() => fixture.sim.resetFaults());

  const cases: [string, Partial<FaultSwitches>][] = [
    ['429 every 3rd request with Retry-After', { rateLimitEvery: 3, retryAfterSeconds: 1 }],
    ['a 503 mid-pagination', { failAtRequests: [4], failStatus: 503 }],
    ['a connection reset', { resetAtRequests: [4] }],
    ['a response slower than the timeout', { hangAtRequests: [4], hangMs: 2500 }],
    ['a body cut off mid-way', { truncateAtRequests: [4] }],
  ];
  it.each(cases)('%s', async (label, faults) => {
    const { sim, env } = fixture;
    const db = fixture.path(`${label.replace(/\W+/g, '_')}.duckdb`);
    const start = sim.requestCount;
    // Request numbers are counted from this run's first request.
    const shifted = Object.entries(faults).map(([k, v]) => [
      k,
      Array.isArray(v) ? v.map((n) => n + start) : v,
    ]);
    sim.setFaults(Object.fromEntries(shifted));
    const summary = await runYaml(yaml(db), env);
    expect(summary.retries).toBeGreaterThanOrEqual(1);
    const expected = sim.calls().map((c) => comparableCall(c, INCLUDE));
    expect(await loadedCalls({ duckdb: db }, INCLUDE)).toEqual(expected);
  });

  it('a malformed page fails the run naming endpoint, window and page; state does not advance; a re-run is exact', async () => {
    const { sim, env } = fixture;
    const db = fixture.path('malformed.duckdb');
    sim.setFaults({ malformedAtRequests: [sim.requestCount + 3] });
    const err = await runYaml(yaml(db), env).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/calls window \d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}/);
    expect((err as Error).message).toMatch(/GET \/calls/);
    // Decoded on a worker thread, the body's error comes back as its own class.
    expect((err as SyncError).code).toBe('CS_HTTP_BODY');
    expect((err as Error).cause).toBeInstanceOf(BodyFormatError);
    expect((err as Error).cause).toMatchObject({
      endpoint: expect.stringMatching(/^GET \/calls\?start_date=/),
    });
    expect((await savedWatermark(db)) ?? null).toBeNull();
    await expectFailedRun(db, /GET \/calls/);
    sim.resetFaults();
    await runYaml(yaml(db), env);
    const expected = sim.calls().map((c) => comparableCall(c, INCLUDE));
    expect(await loadedCalls({ duckdb: db }, INCLUDE)).toEqual(expected);
  });
});
