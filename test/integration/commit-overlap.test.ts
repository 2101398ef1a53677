import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LoadError, SyncError } from '../../src/errors.js';
import type { RunEvent } from '../../src/pipeline/events.js';
import { pipelineYaml } from '../helpers/cli.js';
import { comparableCall, expectFailedRun, loadedCalls, savedWatermark } from '../helpers/duckdb.js';
import { beforeCommits, runYaml } from '../helpers/in-process.js';
import { useSimulator } from '../helpers/simulator.js';

const INCLUDE = ['transcription', 'summary'];

describe('commits run behind the fetches', () => {
  const fixture = useSimulator({ seed: 8, size: 600 });
  const yaml = (db: string) =>
    pipelineYaml({
      destination: { type: 'duckdb', path: db },
      sourceExtra: '  concurrency: 1\n  requests_per_second: 1000',
      streamExtra: '    window_days: 20',
    });

  it('with concurrency 1, the next window is fetched while the previous one commits; nothing is lost', async () => {
    const db = fixture.path('overlap.duckdb');
    const events: RunEvent[] = [];
    const summary = await runYaml(yaml(db), fixture.env, {
      emit: (e) => events.push(e),
      destination: beforeCommits(() => new Promise((r) => setTimeout(r, 150))),
    });
    expect(summary.streams[0].windows).toBeGreaterThan(3);
    const firstDone = events.findIndex((e) => e.type === 'window-done');
    const doneWindow = (events[firstDone] as { window: string }).window;
    const fetchedBefore = events
      .slice(0, firstDone)
      .filter((e) => e.type === 'chunk' && e.window !== doneWindow);
    expect(fetchedBefore.length).toBeGreaterThan(0);
    expect(await loadedCalls({ duckdb: db }, INCLUDE)).toEqual(
      fixture.sim.calls().map((c) => comparableCall(c, INCLUDE)),
    );
  });

  it('a failed commit stops new windows and fails the run naming its window; state stays, staging is gone', async () => {
    const db = fixture.path('failed.duckdb');
    const windows = new Set<string>();
    const err = await runYaml(yaml(db), fixture.env, {
      emit: (e) => {
        if (e.type === 'chunk') windows.add(e.window);
      },
      // Commit 1 is window 1's; commit 2 fails.
      destination: beforeCommits(async (n) => {
        if (n === 2) throw new LoadError('commit to table calls failed: disk on fire');
      }),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    expect((err as SyncError).code).toBe('CS_LOAD');
    expect((err as Error).message).toMatch(
      /^calls window \d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}: commit to table calls failed: disk on fire$/,
    );
    // Window 1 committed; window 2's commit failed; at most one more window was fetched meanwhile.
    expect(windows.size).toBeLessThanOrEqual(3);
    expect((await savedWatermark(db)) ?? null).toBeNull();
    await expectFailedRun(db, /disk on fire/);
    expect(fs.existsSync(fixture.path('.failed.duckdb.staging'))).toBe(false);
  });
});
