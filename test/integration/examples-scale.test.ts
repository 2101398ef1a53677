// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} references in pipeline files are what these tests are about
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { collect, writePipeline } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { listTree } from '../helpers/files.js';
import { cliShimDir, python } from '../helpers/python.js';
import { useSimulator } from '../helpers/simulator.js';

const RANGES = [
  { start: '2026-08-01', end: '2026-09-01' },
  { start: '2026-09-01', end: '2026-10-01' },
];

describe('scale-out: partitions of one account run at once into one Parquet dataset', () => {
  // Latency keeps each run busy long enough for the two to overlap.
  const f = useSimulator({ size: 800, faults: { latencyMs: 20 } });

  it('two range runs started together (--wait) give exactly the calls of both ranges, once each', async () => {
    const dir = f.path('scale');
    fs.mkdirSync(dir, { recursive: true });
    const pipeline = writePipeline(
      dir,
      `version: 1
name: scale
source:
  base_url: \${CALLSCALER_BASE_URL}
  accounts:
    - name: client_a
      api_key: \${CALLSCALER_API_KEY_CLIENT_A}
  page_size: 50
streams:
  calls:
    extract: list
    window_days: 7
destination:
  type: parquet
  dir: ./dataset
`,
    );
    // The exact command lines the orchestrator examples run, one per partition.
    const commands = await python<string[][]>(
      `
import json, sys
import callscaler_cli as c
p = json.loads(sys.argv[1])
print(json.dumps([c.run_command(p["pipeline"], "client_a", r["start"], r["end"]) for r in p["ranges"]]))`,
      { pipeline, ranges: RANGES },
    );
    expect(commands.every((cmd) => cmd.includes('--wait'))).toBe(true);

    // The dataset is held (by this process) while both start, so both meet a held lock and must wait.
    const dataset = path.join(dir, 'dataset');
    fs.mkdirSync(dataset, { recursive: true });
    const lock = path.join(dataset, '.lock');
    fs.writeFileSync(
      lock,
      JSON.stringify({
        pid: process.pid,
        hostname: os.hostname(),
        started_at: new Date().toISOString(),
        token: 't',
      }),
    );
    const env = {
      PATH: `${cliShimDir()}:${process.env.PATH ?? ''}`,
      HOME: process.env.HOME ?? '',
      CALLSCALER_BASE_URL: f.sim.url,
      CALLSCALER_API_KEY_CLIENT_A: f.sim.apiKey,
    };
    const before = f.sim.requestCount;
    const runs = commands.map((cmd) =>
      collect(spawn(cmd[0], cmd.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] })),
    );
    await sleep(1500);
    // Nothing was fetched while another holder had the dataset.
    expect(f.sim.requestCount).toBe(before);
    fs.rmSync(lock);
    const results = await Promise.all(runs);

    for (const [i, r] of results.entries()) {
      expect(r.stderr).not.toMatch(/"level":"error"/);
      expect(r.code).toBe(0);
      const summary = JSON.parse(r.stdout) as { status: string; streams: { mode: string; rows: number }[] };
      const expected = f.sim
        .calls()
        .filter((c) => c.created_at >= RANGES[i].start && c.created_at < RANGES[i].end).length;
      expect(summary.status).toBe('succeeded');
      expect(summary.streams).toEqual([expect.objectContaining({ mode: 'range', rows: expected })]);
    }

    const expectedIds = f.sim
      .calls()
      .filter((c) => c.created_at >= RANGES[0].start && c.created_at < RANGES[1].end)
      .map((c) => c.id)
      .sort();
    expect(expectedIds.length).toBeGreaterThan(100);
    const glob = path.join(dataset, 'calls', '**', '*.parquet');
    const rows = await query<{ id: string; account: string; call_date: string }>(
      ':memory:',
      `SELECT id, account, call_date::VARCHAR AS call_date
       FROM read_parquet('${glob}', hive_partitioning = true) ORDER BY id`,
    );
    expect(rows.map((r) => r.id)).toEqual(expectedIds);
    expect(new Set(rows.map((r) => r.account))).toEqual(new Set(['client_a']));

    // One file per account and day, in the layout readers (DuckDB, Spark, BigQuery) partition by.
    const files = await listTree(path.join(dataset, 'calls'));
    for (const file of files) {
      expect(file).toMatch(/^account=client_a\/call_date=2026-(08|09)-\d{2}\/data\.parquet$/);
    }
    expect(new Set(files).size).toBe(new Set(rows.map((r) => r.call_date)).size);
  });
});
