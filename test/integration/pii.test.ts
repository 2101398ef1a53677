import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toE164 } from '../../connectors/callscaler/normalize/phone.js';
import type { SimCall } from '../../connectors/callscaler/simulator/index.js';
import { pipelineYaml, runCli, writePipeline } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { listTree } from '../helpers/files.js';
import { beforeCommits, runYaml } from '../helpers/in-process.js';
import { destinationIn, found, leaksIn, PATHS_AND_DESTINATIONS, sha256Of } from '../helpers/pii.js';
import { useSimulator } from '../helpers/simulator.js';

/**
 * streams.calls.pii through the whole product: the simulator over HTTP, the CLI as a child process, DuckDB and
 * Parquet read back. A value that is hashed or dropped must be written nowhere: every byte of every file the
 * run leaves, its stdout and stderr (at debug level) and every staged file are searched for the simulator's
 * own values, in the exact form it sent them.
 */

const SALT = 'pii-integration-salt-5c0ffee';
const FIELDS = ['caller_number', 'caller_name', 'transcription', 'summary', 'recording_url'] as const;
type Field = (typeof FIELDS)[number];
type Modes = Record<Field, 'hash' | 'drop'>;

// Each path hashes what the other drops, so every field is both hashed and dropped somewhere.
const LIST_MODES: Modes = {
  caller_number: 'hash',
  caller_name: 'drop',
  transcription: 'hash',
  summary: 'drop',
  recording_url: 'hash',
};
const EXPORT_MODES: Modes = {
  caller_number: 'drop',
  caller_name: 'hash',
  transcription: 'drop',
  summary: 'hash',
  recording_url: 'drop',
};

const piiYaml = (modes: Modes | null) =>
  modes === null
    ? ''
    : `    pii: {${FIELDS.map((f) => `${f}: ${modes[f]}`).join(', ')}}\n    pii_salt: \${CALLSCALER_PII_SALT}\n`;

/** Distinctive personal values the simulator sent, each in a form that appears nowhere else in its data. */
interface Needles {
  readonly callerNumbers: string[];
  readonly all: string[];
}

function needlesOf(calls: readonly SimCall[]): Needles {
  const blank = Object.fromEntries(FIELDS.map((f) => [f, null]));
  const elsewhere = [
    ...calls.map((c) => JSON.stringify({ ...c, ...blank })),
    ...calls.flatMap((c) => [toE164(c.tracking_number), toE164(c.destination_number)]),
  ].join('\n');
  const distinctive = (values: readonly (string | null)[], minLength: number, count: number) =>
    [...new Set(values)]
      .filter((v): v is string => v !== null && v.length >= minLength && !elsewhere.includes(v))
      .slice(0, count);
  // Long texts are shared between calls and open alike: a piece from the middle is distinctive.
  const middle = (t: string | null) =>
    t === null || t.length < 120 ? null : t.slice(t.length / 2, t.length / 2 + 48);
  const callerNumbers = distinctive(
    calls.map((c) => c.caller_number),
    10,
    50,
  );
  const all = [
    ...callerNumbers,
    ...distinctive(callerNumbers.map(toE164), 11, 50),
    ...distinctive(
      calls.map((c) => c.caller_name),
      8,
      30,
    ),
    ...distinctive(
      calls.map((c) => middle(c.transcription)),
      48,
      30,
    ),
    ...distinctive(
      calls.map((c) => middle(c.summary)),
      48,
      30,
    ),
    ...distinctive(
      calls.map((c) => c.recording_url),
      30,
      30,
    ),
  ];
  return { callerNumbers, all };
}

/** What `calls` should hold for a personal field under a mode. */
function expected(value: string | null, mode: 'hash' | 'drop' | 'keep'): string | null {
  if (value === null || mode === 'drop') return null;
  return mode === 'hash' ? sha256Of(SALT, value) : value;
}

describe('streams.calls.pii: a hashed or dropped value is written nowhere', () => {
  const f = useSimulator({ seed: 11, size: 400 });
  let needles: Needles | undefined;
  const needlesNow = () => {
    needles ??= needlesOf(f.sim.calls());
    return needles;
  };

  it('the simulator gives enough distinctive values to search for', () => {
    const n = needlesNow();
    expect(n.callerNumbers).toHaveLength(50);
    expect(n.all.length).toBeGreaterThan(150);
  });

  it.each(PATHS_AND_DESTINATIONS)('extract: %s -> %s', async (extract, type) => {
    const modes = extract === 'list' ? LIST_MODES : EXPORT_MODES;
    const dir = f.path(`${extract}-${type}`);
    await fs.mkdir(dir, { recursive: true });
    const { destination, db, from } = destinationIn(dir, type);
    const cfg = writePipeline(
      dir,
      pipelineYaml({ extract, destination, streamExtra: `    window_days: 30\n${piiYaml(modes)}` }),
    );
    const env = { ...f.env, CALLSCALER_PII_SALT: SALT };
    const r = await runCli(['run', '-c', cfg, '--log-level', 'debug', '--log-format', 'json'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('"level":"debug"');

    const all = needlesNow().all;
    expect(found(Buffer.from(`${r.stdout}\n${r.stderr}`), all)).toEqual([]);
    expect(await leaksIn(dir, all)).toEqual({});
    const files = await listTree(dir);
    if (type === 'parquet') {
      for (const folder of ['pq/calls/', 'pq/_state/', 'pq/_sync_runs/'])
        expect(files.some((file) => file.startsWith(folder))).toBe(true);
    } else expect(files).toContain('calls.duckdb');

    // Read back: each field as its mode says, value for value.
    const rows = await query<Record<string, string | null>>(
      db,
      `SELECT id, ${FIELDS.join(', ')}, caller_number_e164, tracking_number_e164 FROM ${from('calls')} ORDER BY id`,
    );
    const calls = f.sim.calls();
    expect(rows).toHaveLength(calls.length);
    const want = calls.map((c) => ({
      id: c.id,
      ...Object.fromEntries(FIELDS.map((field) => [field, expected(c[field], modes[field])])),
      caller_number_e164: null,
      tracking_number_e164: toE164(c.tracking_number),
    }));
    expect(rows).toEqual(want);
    expect(rows.filter((row) => row.transcription !== null || row.summary !== null).length).toBeGreaterThan(
      100,
    );
  });

  it('control: with every field kept, the same search finds the values in the DuckDB file', async () => {
    const dir = f.path('keep');
    await fs.mkdir(dir, { recursive: true });
    const db = path.join(dir, 'calls.duckdb');
    const cfg = writePipeline(
      dir,
      pipelineYaml({ destination: { type: 'duckdb', path: db }, streamExtra: '    window_days: 30' }),
    );
    expect((await runCli(['run', '-c', cfg, '-q'], { env: f.env })).code).toBe(0);
    const hits = found(await fs.readFile(db), needlesNow().callerNumbers);
    expect(hits.length).toBeGreaterThan(40);
  });

  /** Runs in this process with a destination that searches each commit's staged files before committing. */
  async function stagedLeaks(
    extract: 'list' | 'export',
    modes: Modes | null,
  ): Promise<{ files: number; hits: string[] }> {
    const dir = f.path(`staged-${extract}-${modes === null ? 'keep' : 'masked'}`);
    const yaml = pipelineYaml({
      extract,
      destination: { type: 'duckdb', path: path.join(dir, 'calls.duckdb') },
      streamExtra: `    window_days: 30\n${piiYaml(modes)}`,
    });
    const needles = needlesNow().all;
    const hits = new Set<string>();
    let files = 0;
    const searching = beforeCommits(async (_n, unit) => {
      for (const file of unit.files) {
        files++;
        for (const hit of found(await fs.readFile(file), needles)) hits.add(hit);
      }
    });
    const summary = await runYaml(yaml, { ...f.env, CALLSCALER_PII_SALT: SALT }, { destination: searching });
    expect(summary.status).toBe('succeeded');
    return { files, hits: [...hits] };
  }

  it.each(['list', 'export'] as const)('%s: no staged file holds a personal value', async (extract) => {
    const masked = await stagedLeaks(extract, extract === 'list' ? LIST_MODES : EXPORT_MODES);
    expect(masked.files).toBeGreaterThan(0);
    expect(masked.hits).toEqual([]);
    // Staged files are uncompressed Parquet: with every field kept, the search finds the values there.
    const kept = await stagedLeaks(extract, null);
    expect(kept.hits.length).toBeGreaterThan(100);
  });
});
