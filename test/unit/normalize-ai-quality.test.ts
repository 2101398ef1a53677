import { describe, expect, it } from 'vitest';
import { callsStreamSchema } from '../../connectors/callscaler/config.js';
import { extractExport } from '../../connectors/callscaler/extract/export.js';
import { decode } from '../../connectors/callscaler/extract/list-decode.js';
import { recordsToChunk } from '../../connectors/callscaler/extract/to-batch.js';
import { QualityTally } from '../../connectors/callscaler/normalize/quality.js';
import { normalizeCall, type RowMeta } from '../../connectors/callscaler/normalize/record.js';
import { callsSchema } from '../../connectors/callscaler/schema.js';
import type { ExtractChunk } from '../../src/connector/stream.js';
import { FULL_RECORD } from '../helpers/call-records.js';
import { decodeTestKit } from '../helpers/decode-context.js';
import { httpTestKit } from '../helpers/http-server.js';
import { batchRows, csvOf, pageTask } from '../helpers/pii.js';

const meta: RowMeta = { account: 'default', runId: 'r', syncedAtMs: 0, extract: 'list' };
const AI_SCORE = callsSchema.columns.findIndex((c) => c.name === 'ai_score');
const AI_CATEGORY = callsSchema.columns.findIndex((c) => c.name === 'ai_category');

/** Calls with scores at and beyond the bounds, and categories known and not. */
const CALLS = [
  { ...FULL_RECORD, id: 'c0', ai_score: 0, ai_category: 'spam' },
  { ...FULL_RECORD, id: 'c1', ai_score: 100, ai_category: 'lead' },
  { ...FULL_RECORD, id: 'c2', ai_score: 101, ai_category: 'hot_lead' },
  { ...FULL_RECORD, id: 'c3', ai_score: -1, ai_category: 'hot_lead' },
  { ...FULL_RECORD, id: 'c4', ai_score: 150, ai_category: 'Lead' },
  { ...FULL_RECORD, id: 'c5', ai_score: null, ai_category: null },
];

describe('AI field checks in normalizeCall', () => {
  it('a score outside 0-100 becomes NULL and the row is kept; it is counted', () => {
    const tally = new QualityTally();
    const scores = CALLS.map((c) => {
      const r = normalizeCall(c, meta, tally);
      if (!r.ok) throw new Error(r.reason);
      return r.row[AI_SCORE];
    });
    expect(scores).toEqual([0, 100, null, null, null, null]);
    expect(tally.take()).toEqual({
      counters: { ai_score_out_of_range: 3 },
      warnings: [
        'unknown ai_category "hot_lead" (kept as sent)',
        'unknown ai_category "Lead" (kept as sent)',
      ],
    });
    // take() starts over
    expect(tally.take()).toEqual({});
  });

  it('an unknown category is kept as sent', () => {
    const r = normalizeCall({ ...FULL_RECORD, ai_category: 'hot_lead' }, meta);
    expect(r.ok && r.row[AI_CATEGORY]).toBe('hot_lead');
  });

  it('a rejected record is not counted; a flood of new categories is reported 10 at a time', () => {
    const tally = new QualityTally();
    expect(normalizeCall({ id: 'x', ai_score: 500 }, meta, tally).ok).toBe(false);
    for (let i = 0; i < 30; i++) normalizeCall({ ...FULL_RECORD, ai_category: `new_${i}` }, meta, tally);
    const { counters, warnings } = tally.take();
    expect(counters).toBeUndefined();
    expect(warnings).toHaveLength(10);
    expect(warnings?.[0]).toBe('unknown ai_category "new_0" (kept as sent)');
  });

  it('a long category is quoted at most 80 characters long', () => {
    const tally = new QualityTally();
    normalizeCall({ ...FULL_RECORD, ai_category: 'z'.repeat(500) }, meta, tally);
    expect(tally.take().warnings).toEqual([`unknown ai_category "${'z'.repeat(80)}"… (kept as sent)`]);
  });
});

const counted = (chunk: Pick<ExtractChunk, 'counters' | 'warnings'>) => ({
  counters: chunk.counters,
  warnings: chunk.warnings,
});
const EXPECTED = {
  counters: { ai_score_out_of_range: 3 },
  warnings: ['unknown ai_category "hot_lead" (kept as sent)', 'unknown ai_category "Lead" (kept as sent)'],
};

describe('the checks reach the chunk on both paths', () => {
  it('list records (recordsToChunk): counters and warnings; none when all is well', () => {
    expect(counted(recordsToChunk(CALLS, meta, 's'))).toEqual(EXPECTED);
    expect(counted(recordsToChunk([FULL_RECORD], meta, 's'))).toEqual({
      counters: undefined,
      warnings: undefined,
    });
  });

  it('a list page decoded on a worker thread carries them in its DecodedRows', () => {
    const body = JSON.stringify({ data: { calls: CALLS, total: 6, has_more: false, next_cursor: null } });
    const decoded = decode(pageTask(body, meta), () => {});
    expect(decoded.batch?.numRows).toBe(6);
    expect(counted(decoded)).toEqual(EXPECTED);
  });

  const { serve, client } = httpTestKit();
  const withDecode = decodeTestKit();

  it('the export (CSV) gives the same rows, counters and warnings', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end(csvOf(CALLS));
    });
    const { http } = client(server.url);
    const cfg = callsStreamSchema.parse({ extract: 'export', include: ['transcription', 'summary'] });
    const ctx = { http, account: 'default', runId: 'r', syncedAtMs: 0, signal: new AbortController().signal };
    const chunks: ExtractChunk[] = [];
    for await (const chunk of extractExport(withDecode(ctx), cfg, { key: 'w' })) chunks.push(chunk);
    expect(chunks).toHaveLength(1);
    expect(counted(chunks[0])).toEqual(EXPECTED);
    const scores = batchRows(chunks[0].batch).map((r) => [r.ai_score, r.ai_category]);
    expect(scores).toEqual([
      [0, 'spam'],
      [100, 'lead'],
      [null, 'hot_lead'],
      [null, 'hot_lead'],
      [null, 'Lead'],
      [null, null],
    ]);
  });
});
