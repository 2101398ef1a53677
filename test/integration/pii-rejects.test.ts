import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RAW_WITHHELD } from '../../connectors/callscaler/normalize/pii.js';
import { FULL_RECORD } from '../helpers/call-records.js';
import { pipelineYaml, runCli, tempDir, writePipeline } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { csvOf, destinationIn, found, leaksIn, PATHS_AND_DESTINATIONS, sha256Of } from '../helpers/pii.js';

/**
 * Records the simulator never sends: bad ones that carry personal data, and AI fields out of their range. A
 * small API serves them on both paths (a list page, an export CSV), the CLI loads them, and neither
 * `_rejected`, any other file, nor the output holds a personal value; the AI checks reach the run summary.
 */

const SALT = 'pii-rejects-salt-9d41';
const API_KEY = 'cs_key_pii_rejects_31d7';

const person = (i: number) => ({
  caller_number: `+1 (415) 555-01${i}${i}`,
  caller_name: `Quentin Zyxwort ${i}`,
  transcription: `Caller: my account number is 88${i}77${i}66, I live at ${i}2 Qwerty Lane`,
  summary: `Summary: Quentin ${i} wants a zebra-striped fence`,
  recording_url: `https://rec.example.test/${i}/zq-${i}.mp3`,
});
const PEOPLE = [0, 1, 2, 3, 4, 5, 6, 7].map(person);
const NEEDLES = PEOPLE.flatMap((p) => [...Object.values(p), p.caller_number.replace(/\D/g, '')]);

const good = [0, 1, 2, 3].map((i) => ({
  ...FULL_RECORD,
  id: `good-${i}`,
  ...PEOPLE[i],
  created_at: `2026-03-0${2 + i}T12:00:00Z`,
  ai_score: i === 0 ? 150 : 80,
  ai_category: i === 1 ? 'hot_lead' : 'lead',
}));
/** List records that are rejected, each carrying a person. */
const badRecords = [
  {
    ...FULL_RECORD,
    id: 'bad-type',
    ...PEOPLE[4],
    caller_number: Number(PEOPLE[4].caller_number.replace(/\D/g, '')),
  },
  { id: 'no-date', ...PEOPLE[5] },
  { ...FULL_RECORD, id: 'bad-score', ...PEOPLE[6], ai_score: '85' },
  `${PEOPLE[7].caller_number} ${PEOPLE[7].caller_name}`,
];
/** Export lines that are rejected: a cell too many, and a boolean that is not one. */
function exportBody(): string {
  const csv = csvOf(good).split('\r\n');
  const cells = (i: number, changes: Record<string, string>) =>
    csvOf([{ ...good[0], id: `bad-${i}`, ...PEOPLE[i], ...changes }]).split('\r\n')[1];
  const extraCell = `${cells(4, {})},"${PEOPLE[4].transcription}"`;
  const badBool = cells(5, { has_transcription: 'maybe' });
  return [csv[0], csv[1], extraCell, csv[2], badBool, csv[3], csv[4], ''].join('\r\n');
}

describe('rejected records, AI checks: personal data stays out, counts reach the summary', () => {
  let server: Server;
  let url = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.headers.authorization !== `Bearer ${API_KEY}`) {
        res.writeHead(401).end();
        return;
      }
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname.endsWith('/calls/export')) {
        res.writeHead(200, { 'content-type': 'text/csv' });
        res.end(exportBody());
        return;
      }
      // limit=1 is the probe: the oldest call, or with sort_order=desc the newest.
      const newest = u.searchParams.get('sort_order') === 'desc';
      const calls =
        u.searchParams.get('limit') === '1' ? [newest ? good[3] : good[0]] : [...good, ...badRecords];
      const body = JSON.stringify({
        data: { calls, total: calls.length, has_more: false, next_cursor: null },
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const MODES =
    '    pii: {caller_number: hash, caller_name: drop, transcription: hash, summary: drop, recording_url: hash}\n' +
    `    pii_salt: \${CALLSCALER_PII_SALT}\n`;

  it.each(PATHS_AND_DESTINATIONS)('extract: %s -> %s', async (extract, type) => {
    const dir = tempDir();
    const { destination, db, from } = destinationIn(dir, type);
    const cfg = writePipeline(
      dir,
      pipelineYaml({
        extract,
        destination,
        streamExtra: `    start_date: 2026-03-01\n    end_date: 2026-03-08\n    window_days: 7\n    max_rejected: 100\n${MODES}`,
      }),
    );
    const env = { CALLSCALER_BASE_URL: url, CALLSCALER_API_KEY: API_KEY, CALLSCALER_PII_SALT: SALT };
    const r = await runCli(['run', '-c', cfg, '--json', '--log-level', 'debug'], { env });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.streams[0]).toMatchObject({
      rows: 4,
      received: extract === 'list' ? 8 : 6,
      rejected: extract === 'list' ? 4 : 2,
      counters: { ai_score_out_of_range: 1 },
    });

    // Nothing personal in any file or any output.
    expect(await leaksIn(dir, NEEDLES)).toEqual({});
    expect(found(Buffer.from(`${r.stdout}\n${r.stderr}`), NEEDLES)).toEqual([]);

    // The rejects, read back: where and why, with the raw text masked or withheld.
    const rejects = await query<{ source: string; line: number | null; raw: string; reason: string }>(
      db,
      `SELECT source, line::INTEGER AS line, raw, reason FROM ${from('_rejected')} ORDER BY line, reason`,
    );
    if (extract === 'list') {
      const byReason = Object.fromEntries(rejects.map((x) => [x.reason, x.raw]));
      expect(Object.keys(byReason).sort()).toEqual([
        'ai_score: expected integer, got string "85"',
        'caller_number: expected string, got number',
        'created_at: missing',
        'record is not an object',
      ]);
      expect(JSON.parse(byReason['created_at: missing'])).toEqual({
        id: 'no-date',
        caller_number: sha256Of(SALT, PEOPLE[5].caller_number),
        caller_name: null,
        transcription: sha256Of(SALT, PEOPLE[5].transcription),
        summary: null,
        recording_url: sha256Of(SALT, PEOPLE[5].recording_url),
      });
      // A number is hashed as its JSON text: what the API sent.
      expect(JSON.parse(byReason['caller_number: expected string, got number']).caller_number).toBe(
        sha256Of(SALT, PEOPLE[4].caller_number.replace(/\D/g, '')),
      );
      expect(byReason['record is not an object']).toBe(RAW_WITHHELD);
    } else {
      expect(rejects).toEqual([
        {
          source: 'GET /calls/export window 2026-03-02..2026-03-06',
          line: 3,
          raw: RAW_WITHHELD,
          reason: expect.stringMatching(/^expected \d+ cells as in the header, got \d+/),
        },
        {
          source: 'GET /calls/export window 2026-03-02..2026-03-06',
          line: 5,
          raw: RAW_WITHHELD,
          reason: 'has_transcription: expected boolean (true/false/yes/no/1/0), got "maybe"',
        },
      ]);
    }

    // The good rows: hashed and dropped as configured, the out-of-range score NULL, the new category kept.
    const rows = await query(
      db,
      `SELECT id, caller_number, caller_name, summary, ai_score, ai_category FROM ${from('calls')} ORDER BY id`,
    );
    expect(rows).toEqual(
      good.map((g, i) => ({
        id: g.id,
        caller_number: sha256Of(SALT, PEOPLE[i].caller_number),
        caller_name: null,
        summary: null,
        ai_score: i === 0 ? null : 80,
        ai_category: i === 1 ? 'hot_lead' : 'lead',
      })),
    );
  });

  it('control: with every field kept, the rejects hold the personal values', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'calls.duckdb');
    const cfg = writePipeline(
      dir,
      pipelineYaml({
        destination: { type: 'duckdb', path: db },
        streamExtra: '    start_date: 2026-03-01\n    end_date: 2026-03-08\n    max_rejected: 100\n',
      }),
    );
    const env = { CALLSCALER_BASE_URL: url, CALLSCALER_API_KEY: API_KEY };
    expect((await runCli(['run', '-c', cfg, '-q'], { env })).code).toBe(0);
    const [{ raw }] = await query<{ raw: string }>(db, "SELECT string_agg(raw, '\n') AS raw FROM _rejected");
    expect(NEEDLES.filter((n) => raw.includes(n)).length).toBeGreaterThan(10);
  });
});
