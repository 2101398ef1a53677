import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CsvVariant, RunningSimulator } from '../../connectors/callscaler/simulator/index.js';
import type { RunEvent } from '../../src/pipeline/events.js';
import { type PipelineOptions, pipelineYaml, runCli, tempDir, writePipeline } from '../helpers/cli.js';
import { comparableCall, expectFailedRun, loadedCalls, query } from '../helpers/duckdb.js';
import { httpTestKit, reply } from '../helpers/http-server.js';
import { runYaml } from '../helpers/in-process.js';
import { useSimulator } from '../helpers/simulator.js';

const INCLUDE = ['transcription', 'summary'];
type From = { duckdb: string } | { parquet: string };

/** Every column of `calls` but the per-run meta columns, JSON-comparable, ordered by id. */
function wholeTable(from: From): Promise<Record<string, unknown>[]> {
  const source = 'duckdb' in from ? 'calls' : `read_parquet('${from.parquet}/calls/**/*.parquet')`;
  return query(
    'duckdb' in from ? from.duckdb : ':memory:',
    `SELECT * EXCLUDE (_extract, _run_id, _synced_at) FROM ${source} ORDER BY id`,
  );
}

async function expectSimulatorData(sim: RunningSimulator, from: From) {
  const expected = sim.calls().map((c) => comparableCall(c, INCLUDE));
  const actual = await loadedCalls(from, INCLUDE);
  expect(actual.length).toBe(expected.length);
  expect(actual).toEqual(expected);
}

const yamlFor = (o: PipelineOptions) => pipelineYaml({ streamExtra: '    window_days: 30', ...o });

describe('extract: export', () => {
  // 2000 calls: every hard case (long texts, CSV-hostile names, CRLF in texts, big values) eight times.
  const fixture = useSimulator({ seed: 31, size: 2000 });
  const listDb = () => fixture.path('list.duckdb');

  it('list and export (CLI child processes) give identical tables, both equal to the simulator', async () => {
    const { sim, dir, env } = fixture;
    const exportDb = fixture.path('export.duckdb');
    const listCfg = writePipeline(
      dir,
      yamlFor({ destination: { type: 'duckdb', path: listDb() } }),
      'list.yaml',
    );
    const list = await runCli(['run', '-c', listCfg, '-q'], { env });
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);

    const before = sim.requestLog.length;
    const exportYaml = yamlFor({ extract: 'export', destination: { type: 'duckdb', path: exportDb } });
    const exp = await runCli(['run', '-c', writePipeline(dir, exportYaml, 'export.yaml'), '--json', '-q'], {
      env,
    });
    expect(exp.stderr).toBe('');
    expect(exp.code).toBe(0);
    const summary = JSON.parse(exp.stdout);
    expect(summary.streams[0]).toMatchObject({ rows: 2000, received: 2000, rejected: 0 });

    // One export request per window; the only list requests are the probe's (the oldest and the newest call).
    const requests = sim.requestLog.slice(before);
    const exports = requests.filter((r) => r.path.endsWith('/calls/export'));
    expect(exports.length).toBe(summary.streams[0].windows);
    for (const r of exports) {
      expect(r.status).toBe(200);
      expect(r.query).toMatchObject({ include: 'transcription,summary' });
      expect(r.query.start_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const listed = requests.filter((r) => !r.path.endsWith('/calls/export'));
    expect(listed.map((r) => [r.query.limit, r.query.sort_order])).toEqual([
      ['1', 'asc'],
      ['1', 'desc'],
    ]);

    await expectSimulatorData(sim, { duckdb: exportDb });
    expect(await wholeTable({ duckdb: exportDb })).toEqual(await wholeTable({ duckdb: listDb() }));
    const meta = await query<{ extract: string; n: number }>(
      exportDb,
      'SELECT _extract AS extract, count(*)::INTEGER AS n FROM calls GROUP BY 1',
    );
    expect(meta).toEqual([{ extract: 'export', n: 2000 }]);
    expect(await query(exportDb, 'SELECT * FROM _rejected')).toEqual([]);
  });

  it('loads the same rows into a Parquet dataset', async () => {
    const out = fixture.path('parquet');
    const yaml = yamlFor({ extract: 'export', destination: { type: 'parquet', dir: out } });
    const summary = await runYaml(yaml, fixture.env);
    expect(summary.streams[0].rows).toBe(2000);
    await expectSimulatorData(fixture.sim, { parquet: out });
    expect(await wholeTable({ parquet: out })).toEqual(await wholeTable({ duckdb: listDb() }));
  });

  it('commits windows in pieces when they are big, with the same table in DuckDB and Parquet', async () => {
    // maxCommitBytes 1: every staged file (a 100-call page) is a transaction of its own, the checkpoint
    // goes with the last piece of each group.
    const sourceExtra = '  page_size: 100\n  requests_per_second: 1000';
    for (const destination of [
      { type: 'duckdb' as const, path: fixture.path('pieces.duckdb') },
      { type: 'parquet' as const, dir: fixture.path('pieces-parquet') },
    ]) {
      const events: RunEvent[] = [];
      const summary = await runYaml(yamlFor({ destination, sourceExtra }), fixture.env, {
        maxCommitBytes: 1,
        emit: (e) => events.push(e),
      });
      expect(summary.streams[0]).toMatchObject({ rows: 2000, received: 2000, rejected: 0 });
      const chunks = events.filter((e) => e.type === 'chunk').length;
      expect(chunks).toBeGreaterThanOrEqual(20);
      const from =
        destination.type === 'duckdb' ? { duckdb: destination.path } : { parquet: destination.dir };
      await expectSimulatorData(fixture.sim, from);
      expect(await wholeTable(from)).toEqual(await wholeTable({ duckdb: listDb() }));
    }
  });

  it('a created-date range (run --start-date --end-date) works on the export too', async () => {
    const db = fixture.path('range.duckdb');
    const yaml = yamlFor({ extract: 'export', destination: { type: 'duckdb', path: db } });
    const range = { start: '2026-09-01', end: '2026-09-20' };
    const summary = await runYaml(yaml, fixture.env, { range });
    const inRange = fixture.sim
      .calls()
      .filter((c) => c.created_at >= range.start && c.created_at < range.end);
    expect(inRange.length).toBeGreaterThan(100);
    expect(summary.streams[0].rows).toBe(inRange.length);
    const [n] = await query<{ n: number }>(
      db,
      `SELECT count(*)::INTEGER AS n FROM calls WHERE created_at >= '${range.start}' AND created_at < '${range.end}'`,
    );
    expect(n.n).toBe(inRange.length);
  });
});

describe('extract: auto', () => {
  const fixture = useSimulator({ seed: 32, size: 1500 });

  it('backfills through the export, then follows the tail through the list, exactly', async () => {
    const { sim, env } = fixture;
    const db = fixture.path('auto.duckdb');
    const yaml = yamlFor({ extract: 'auto', destination: { type: 'duckdb', path: db } });
    const first = await runYaml(yaml, env);
    expect(first.streams[0].mode).toBe('backfill');
    const backfill = sim.requestLog.slice();
    expect(backfill.filter((r) => r.path.endsWith('/calls/export')).length).toBe(first.streams[0].windows);
    expect(backfill.filter((r) => !r.path.endsWith('/calls/export')).length).toBe(2); // the probe
    await expectSimulatorData(sim, { duckdb: db });

    sim.mutate({ add: 40, change: 60 });
    const before = sim.requestLog.length;
    const second = await runYaml(yaml, env);
    expect(second.streams[0].mode).toBe('incremental');
    const tail = sim.requestLog.slice(before);
    expect(tail.some((r) => r.path.endsWith('/calls/export'))).toBe(false);
    for (const r of tail) expect(r.query.updated_since).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(tail.filter((r) => r.query.limit !== '1').length).toBeGreaterThan(0);
    await expectSimulatorData(sim, { duckdb: db });
    const byPath = await query<{ extract: string; n: number }>(
      db,
      'SELECT _extract AS extract, count(*)::INTEGER AS n FROM calls GROUP BY 1 ORDER BY 1',
    );
    expect(byPath).toEqual([
      { extract: 'export', n: 1500 - 60 },
      { extract: 'list', n: 100 },
    ]);
  });
});

describe('extract: export on the incremental tail', () => {
  const fixture = useSimulator({ seed: 35, size: 800 });

  it('asks the export for updated_since and ends exact', async () => {
    const { sim, env } = fixture;
    const db = fixture.path('tail.duckdb');
    const yaml = yamlFor({ extract: 'export', destination: { type: 'duckdb', path: db } });
    await runYaml(yaml, env);
    const { added, changed } = sim.mutate({ add: 25, change: 30 });
    const before = sim.requestLog.length;
    const second = await runYaml(yaml, env);
    expect(second.streams[0]).toMatchObject({
      mode: 'incremental',
      received: added.length + changed.length,
    });
    const exports = sim.requestLog.slice(before).filter((r) => r.path.endsWith('/calls/export'));
    expect(exports.length).toBe(1);
    expect(exports[0].query.updated_since).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await expectSimulatorData(sim, { duckdb: db });
  });
});

describe('the export’s CSV dialects all load to the same table', () => {
  const fixture = useSimulator({ seed: 33, size: 750 });
  let reference: Record<string, unknown>[];

  beforeAll(async () => {
    const db = fixture.path('reference.duckdb');
    await runYaml(yamlFor({ destination: { type: 'duckdb', path: db } }), fixture.env);
    reference = await wholeTable({ duckdb: db });
    expect(reference.length).toBe(750);
  });

  const variants: [string, Partial<CsvVariant>][] = [
    ['snake_case headers, CRLF, true/false, JSON lists (default)', {}],
    ['human headers ("Caller Number")', { headers: 'human' }],
    ['upper-case headers', { headers: 'upper' }],
    ['a UTF-8 BOM', { bom: true }],
    ['LF line endings', { lineEnding: '\n' }],
    ['yes/no booleans', { booleans: 'yesno' }],
    ['1/0 booleans', { booleans: '10' }],
    ['lists separated by ;', { lists: 'semicolon' }],
    ['lists separated by ,', { lists: 'comma' }],
    ['lists separated by "; "', { lists: 'semicolon-space' }],
    [
      'all at once: human, BOM, LF, yes/no, ;',
      { headers: 'human', bom: true, lineEnding: '\n', booleans: 'yesno', lists: 'semicolon' },
    ],
  ];
  it.each(variants.map(([label, csv], i) => [label, csv, i] as const))('%s', async (_label, csv, i) => {
    fixture.sim.resetFaults();
    fixture.sim.setFaults({ csv });
    const db = fixture.path(`variant-${i}.duckdb`);
    const summary = await runYaml(
      yamlFor({ extract: 'export', destination: { type: 'duckdb', path: db } }),
      fixture.env,
    );
    expect(summary.streams[0]).toMatchObject({ rows: 750, rejected: 0 });
    expect(await wholeTable({ duckdb: db })).toEqual(reference);
  });
});

describe('a broken export', () => {
  const fixture = useSimulator({ seed: 34, size: 1200 });
  const yaml = (db: string, sourceExtra: string, streamExtra = '') =>
    pipelineYaml({
      extract: 'export',
      destination: { type: 'duckdb', path: db },
      sourceExtra: `  concurrency: 1\n${sourceExtra}`,
      streamExtra: `    window_days: 30\n${streamExtra}`,
    });

  it('a body cut off mid-CSV: the window starts over and the run ends exact', async () => {
    const { sim, env } = fixture;
    sim.resetFaults();
    const db = fixture.path('truncated.duckdb');
    // Requests 1 and 2 are the probe (oldest and newest call), 3 the first window's export, 4 the second's.
    sim.setFaults({ truncateAtRequests: [sim.requestCount + 4] });
    const events: RunEvent[] = [];
    const summary = await runYaml(yaml(db, '  max_retries: 2'), env, { emit: (e) => events.push(e) });
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries.length).toBe(1);
    expect(retries[0]).toMatchObject({ endpoint: expect.stringMatching(/^calls window \d{4}-/) });
    expect((retries[0] as { reason: string }).reason).toMatch(
      /GET \/calls\/export window \S+ line \d+: response body truncated/,
    );
    expect(summary.streams[0]).toMatchObject({ rows: 1200, rejected: 0 });
    await expectSimulatorData(sim, { duckdb: db });
  });

  it('with max_retries 0 it fails naming the window, and nothing of that window is committed', async () => {
    const { sim, env } = fixture;
    sim.resetFaults();
    const db = fixture.path('truncated-fail.duckdb');
    sim.setFaults({ truncateAtRequests: [sim.requestCount + 4] });
    const err = await runYaml(yaml(db, '  max_retries: 0'), env).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    const m =
      /GET \/calls\/export window (\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2}) line (\d+): response body truncated/.exec(
        message,
      );
    expect(m, message).not.toBeNull();
    const [, start, end, line] = m!;
    expect(Number(line)).toBeGreaterThan(1);
    const calls = sim.calls();
    const inWindow = calls.filter((c) => c.created_at >= start && c.created_at < end);
    expect(inWindow.length).toBeGreaterThan(100);
    // A first backfill commits into the snapshot its pass publishes at the end: the live table has no row yet.
    const [{ shadow }] = await query<{ shadow: string }>(
      db,
      "SELECT table_name AS shadow FROM duckdb_tables() WHERE starts_with(table_name, 'calls__snapshot_')",
    );
    const [counts] = await query<{ inside: number; before: number }>(
      db,
      `SELECT count(*) FILTER (WHERE call_date >= '${start}' AND call_date < '${end}')::INTEGER AS inside,
              count(*) FILTER (WHERE call_date < '${start}')::INTEGER AS before FROM ${shadow}`,
    );
    // The first window is in; of the cut one, nothing.
    expect(counts).toEqual({ inside: 0, before: calls.filter((c) => c.created_at < start).length });
    expect(counts.before).toBeGreaterThan(0);
    expect(await query(db, 'SELECT id FROM calls')).toEqual([]);
    await expectFailedRun(db);

    // The next run finishes the job.
    sim.resetFaults();
    await runYaml(yaml(db, '  max_retries: 0'), env);
    await expectSimulatorData(sim, { duckdb: db });
  });

  it('a malformed row goes to _rejected with its line, raw text and reason; the run counts it', async () => {
    const { sim, env } = fixture;
    sim.resetFaults();
    const db = fixture.path('malformed.duckdb');
    sim.setFaults({ malformedAtRequests: [sim.requestCount + 3] });
    const summary = await runYaml(yaml(db, '', '    max_rejected: 5'), env);
    expect(summary.streams[0]).toMatchObject({ rows: 1200, received: 1201, rejected: 1 });
    const rejects = await query<Record<string, unknown>>(
      db,
      'SELECT stream, source, line, raw, reason, run_id FROM _rejected',
    );
    expect(rejects).toEqual([
      {
        stream: 'calls',
        source: expect.stringMatching(/^GET \/calls\/export window \d{4}-\d{2}-\d{2}\.\./),
        line: expect.stringMatching(/^\d+$/),
        raw: 'malformed-row,"only ""three"" columns",42',
        reason: expect.stringMatching(/^expected \d+ cells as in the header, got 3$/),
        run_id: summary.run_id,
      },
    ]);
    // The line where the simulator put it, counted in the export body as a text editor would.
    const window = /window (\S+)\.\.(\S+)$/.exec(rejects[0].source as string)!;
    sim.setFaults({ malformedAtRequests: [sim.requestCount + 1] });
    const body = await fetch(
      `${sim.url}/calls/export?start_date=${window[1]}&end_date=${window[2]}&include=transcription,summary`,
      { headers: { authorization: `Bearer ${sim.apiKey}` } },
    ).then((r) => r.text());
    const lines = body.split(/\r\n|\n|\r/);
    expect(Number(rejects[0].line)).toBe(lines.indexOf(rejects[0].raw as string) + 1);
    expect(Number(rejects[0].line)).toBeGreaterThan(2);
    await expectSimulatorData(sim, { duckdb: db });
  });

  it('max_rejected 0 fails the window with the malformed row, which is kept in _rejected and named in the error', async () => {
    const { sim, env } = fixture;
    sim.resetFaults();
    const db = fixture.path('malformed-strict.duckdb');
    sim.setFaults({ malformedAtRequests: [sim.requestCount + 3] });
    const err = await runYaml(yaml(db, '', '    max_rejected: 0'), env).catch((e: Error) => e);
    expect((err as Error).message).toMatch(
      /1 of \d+ records rejected in window \S+, over max_rejected \(none allowed\); nothing of the window was committed\. The rejected records are in _rejected \(run \S+\); the first: GET \/calls\/export window \S+ line \d+: expected \d+ cells as in the header, got 3$/,
    );
    const [n] = await query<{ n: number }>(db, 'SELECT count(*)::INTEGER AS n FROM calls');
    expect(n.n).toBe(0);
    // The refused window's reject is kept for inspection, though none of its rows are.
    const rejects = await query<{ raw: string; reason: string }>(db, 'SELECT raw, reason FROM _rejected');
    expect(rejects).toEqual([
      {
        raw: 'malformed-row,"only ""three"" columns",42',
        reason: expect.stringMatching(/^expected \d+ cells as in the header, got 3$/),
      },
    ]);
  });
});

describe('an export unlike the simulator’s', () => {
  const { serve } = httpTestKit();
  const DAY = '    start_date: 2026-10-01\n    end_date: 2026-10-02';

  /** The provider's API with an export of our own; the list tells the probe where the calls are. */
  async function runWith(csv: string, db: string) {
    const server = await serve((req, res) => {
      if (req.url?.startsWith('/api/v1/calls/export')) {
        res.writeHead(200, { 'content-type': 'text/csv' });
        res.end(csv);
      } else {
        const first = { id: 'c0', created_at: '2026-10-01T08:00:00Z' };
        reply(res, 200, { data: { calls: [first], total: 2, has_more: false, next_cursor: null } });
      }
    });
    const yaml = pipelineYaml({
      extract: 'export',
      destination: { type: 'duckdb', path: db },
      streamExtra: DAY,
    });
    return runYaml(yaml, { CALLSCALER_BASE_URL: server.url, CALLSCALER_API_KEY: 'cs_key_test' });
  }

  it('without transcription and summary columns: NULL there; unknown columns go to _extra', async () => {
    const db = path.join(tempDir(), 'lean.duckdb');
    const csv = [
      'Call ID,Date,Caller Number,Duration,Qualified,Keywords,Agent Notes',
      'c1,2026-10-01T08:00:00Z,(512) 555-0100,61,Yes,"pricing; emergency",called back',
      'c2,2026-10-01T09:30:00-05:00,,0,no,,',
      '',
    ].join('\n');
    const summary = await runWith(csv, db);
    expect(summary.streams[0]).toMatchObject({ rows: 2, rejected: 0 });
    const rows = await query(
      db,
      `SELECT id, epoch_ms(created_at)::DOUBLE AS created_at, caller_number, caller_number_e164, duration_seconds,
              qualified_ai, keywords_spotted, transcription, summary, _extra, _extract
       FROM calls ORDER BY id`,
    );
    expect(rows).toEqual([
      {
        id: 'c1',
        created_at: Date.parse('2026-10-01T08:00:00Z'),
        caller_number: '(512) 555-0100',
        caller_number_e164: '+15125550100',
        duration_seconds: 61,
        qualified_ai: true,
        keywords_spotted: ['pricing', 'emergency'],
        transcription: null,
        summary: null,
        _extra: '{"agent_notes":"called back"}',
        _extract: 'export',
      },
      {
        id: 'c2',
        created_at: Date.parse('2026-10-01T14:30:00Z'),
        caller_number: null,
        caller_number_e164: null,
        duration_seconds: 0,
        qualified_ai: false,
        keywords_spotted: [],
        transcription: null,
        summary: null,
        // An empty cell is NULL, as `"agent_notes": null` from the list would be.
        _extra: '{"agent_notes":null}',
        _extract: 'export',
      },
    ]);
  });

  it('an export without an id column fails with the columns it has', async () => {
    const db = path.join(tempDir(), 'noid.duckdb');
    const err = await runWith('Caller Number,Created At\r\n+15550001111,2026-10-01T00:00:00Z\r\n', db).catch(
      (e: Error) => e,
    );
    expect((err as Error).message).toBe(
      'GET /calls/export window 2026-10-01..2026-10-02 line 1: export CSV has no id column; got columns: "Caller Number", "Created At"',
    );
  });
});
