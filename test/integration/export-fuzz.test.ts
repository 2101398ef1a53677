import { createServer, type Server } from 'node:http';
import type { RecordBatch } from 'apache-arrow';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callsStreamSchema } from '../../connectors/callscaler/config.js';
import { extractExport, PIECE_BYTES } from '../../connectors/callscaler/extract/export.js';
import {
  type CsvVariant,
  type RunningSimulator,
  startSimulator,
} from '../../connectors/callscaler/simulator/index.js';
import { Rng } from '../../connectors/callscaler/simulator/prng.js';
import type { StreamContext, StreamReject } from '../../src/connector/stream.js';
import { RequestBudget } from '../../src/http/budget.js';
import { HttpClient } from '../../src/http/client.js';
import { NetworkError } from '../../src/http/errors.js';
import { isRetryable } from '../../src/http/retry.js';
import { decodeTestKit } from '../helpers/decode-context.js';

/**
 * A real export CSV from the simulator, damaged at seeded random places, served by a tiny HTTP server and
 * read by the export extractor. Whatever the damage: no crash, every untouched row loads exactly, every
 * damaged row is loaded correctly or rejected on its own line, nothing else is rejected, and a body cut
 * off fails with a retryable error naming the line.
 */

const SEEDS = Array.from({ length: 30 }, (_, i) => 1000 + i);
/**
 * The body goes to the decode thread in pieces of this size (by seed): each piece must start exactly where the
 * previous one stopped reading, whatever the damage around the cut. Smaller than a record, a piece grows.
 */
const PIECES = [PIECE_BYTES, 64 * 1024, 4096, 1000];
const INCLUDE = ['transcription', 'summary'] as const;
const VARIANTS: Partial<CsvVariant>[] = [
  {},
  { headers: 'human', bom: true },
  { lineEnding: '\n', lists: 'semicolon' },
  { headers: 'upper', booleans: 'yesno', lists: 'comma' },
  { booleans: '10', lineEnding: '\n', bom: true },
];
const INT_COLUMNS = ['duration_seconds', 'recording_duration', 'ai_score', 'value_cents', 'cost_cents'];
const JUNK_NUMBERS = ['12x', 'NaN', '1e3', '0x1F', '4 2', '--3', '٣'];
const INVALID_UTF8 = [[0xff], [0xc3], [0xe2, 0x82], [0x80], [0xed, 0xa0, 0x80]];

type Row = Record<string, unknown>;
interface Extracted {
  rows: Map<string, Row>;
  rejects: StreamReject[];
  received: number;
  error?: unknown;
}

/** One export, split into its header and records (bytes), with the cells of each record. */
interface Export {
  body: Buffer;
  header: Buffer;
  records: { bytes: Buffer; content: Buffer; cells: string[]; id: string }[];
  reference: Map<string, Row>;
}

const quoteCell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const lineEndOf = (b: Buffer) => (b.subarray(-2).toString() === '\r\n' ? 2 : 1);

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v !== null && typeof v === 'object' && Symbol.iterator in v) return [...(v as Iterable<unknown>)];
  return v;
}

function rowsOf(batch: RecordBatch): Row[] {
  const names = batch.schema.fields.map((f) => f.name);
  const rows: Row[] = [];
  for (let r = 0; r < batch.numRows; r++) {
    const row: Row = {};
    names.forEach((name, i) => {
      row[name] = plain(batch.getChildAt(i)!.get(r));
    });
    rows.push(row);
  }
  return rows;
}

/** Line breaks as the reader counts them: LF, CRLF and a lone CR each one. */
function linesBefore(body: Buffer, offset: number): number {
  const text = body.subarray(0, offset).toString('latin1');
  return (text.match(/\r\n|\n|\r/g) ?? []).length;
}

describe('export fuzz: a damaged CSV never crashes and never loads a wrong row', () => {
  let sim: RunningSimulator;
  let server: Server;
  let serve: (res: import('node:http').ServerResponse) => void = () => {};
  let http: HttpClient;
  const withDecode = decodeTestKit();
  const exports = new Map<number, Export>();
  const cfg = callsStreamSchema.parse({ extract: 'export', include: [...INCLUDE] });

  const ctx = (): StreamContext => ({
    http,
    account: 'default',
    runId: 'fuzz',
    syncedAtMs: 0,
    signal: new AbortController().signal,
  });

  async function extract(pieceBytes = PIECE_BYTES): Promise<Extracted> {
    const out: Extracted = { rows: new Map(), rejects: [], received: 0 };
    try {
      for await (const chunk of extractExport(withDecode(ctx()), cfg, { key: 'fuzz' }, pieceBytes)) {
        if (chunk.batch) for (const row of rowsOf(chunk.batch)) out.rows.set(row.id as string, row);
        out.rejects.push(...chunk.rejects);
        out.received += chunk.received;
      }
    } catch (err) {
      out.error = err;
    }
    return out;
  }

  function serveBody(body: Buffer, cutAt?: number) {
    serve = (res) => {
      res.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(body.length) });
      if (cutAt === undefined) res.end(body);
      // The headers promise the whole body; part of it arrives, then the connection drops.
      else res.write(body.subarray(0, cutAt), () => res.destroy());
    };
  }

  async function exportFor(v: number): Promise<Export> {
    const cached = exports.get(v);
    if (cached) return cached;
    sim.resetFaults();
    sim.setFaults({ csv: VARIANTS[v] });
    const res = await fetch(`${sim.url}/calls/export?include=${INCLUDE.join(',')}`, {
      headers: { authorization: `Bearer ${sim.apiKey}` },
    });
    const body = Buffer.from(await res.arrayBuffer());
    const parsed = parseCsv(body, { bom: true, info: true }) as unknown as {
      record: string[];
      info: { bytes: number };
    }[];
    const header = body.subarray(0, parsed[0].info.bytes);
    const records = parsed.slice(1).map((p, i) => {
      const bytes = body.subarray(parsed[i].info.bytes, p.info.bytes);
      const content = bytes.subarray(0, bytes.length - lineEndOf(bytes));
      // Corruptions rebuild records from cells: the simulator's quoting must give the same bytes back.
      expect(p.record.map(quoteCell).join(',')).toBe(content.toString());
      return { bytes, content, cells: p.record, id: p.record[0] };
    });
    serveBody(body);
    const clean = await extract();
    expect(clean.error).toBeUndefined();
    expect(clean.rejects).toEqual([]);
    expect(clean.rows.size).toBe(sim.calls().length);
    const ex = { body, header, records, reference: clean.rows };
    exports.set(v, ex);
    return ex;
  }

  beforeAll(async () => {
    // 500 calls hold two of each hard case: 60-90 kB transcripts, CRLF in texts, CSV-hostile names.
    sim = await startSimulator({ seed: 51, size: 500 });
    server = createServer((_req, res) => serve(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    http = new HttpClient({
      baseUrl: `http://127.0.0.1:${port}/api/v1`,
      timeoutMs: 10_000,
      retry: { maxRetries: 0, baseDelayMs: 0, maxDelayMs: 0 },
      budget: new RequestBudget({ concurrency: 4, requestsPerSecond: Number.POSITIVE_INFINITY }),
    });
  });
  afterAll(async () => {
    await http.close();
    await new Promise((r) => server.close(r));
    await sim.close();
  });

  /** A damaged copy of a record, or null when this damage would leave it valid CSV (undetectable). */
  function damage(ex: Export, index: number, rng: Rng): { kind: string; content: Buffer } | null {
    const rec = ex.records[index];
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng.next() * xs.length)];
    const at = 1 + Math.floor(rng.next() * (rec.content.length - 1));
    const rebuild = (cells: string[]) => Buffer.from(cells.map(quoteCell).join(','));
    const kind = pick(['quote', 'quote opening a field', 'extra cell', 'missing cell', 'utf8', 'number']);
    switch (kind) {
      case 'quote':
      case 'quote opening a field': {
        // A quote opening an unquoted field reads what follows as the inside of a quoted field; opening the
        // last field, it swallows the line break and the next rows up to the next quote.
        const j =
          rng.next() < 0.5 ? rec.cells.length - 1 : 1 + Math.floor(rng.next() * (rec.cells.length - 1));
        const fieldStart = Buffer.byteLength(`${rec.cells.slice(0, j).map(quoteCell).join(',')},`);
        const where = kind === 'quote' ? at : fieldStart;
        if (kind !== 'quote' && quoteCell(rec.cells[j]) !== rec.cells[j]) return null;
        const content = Buffer.concat([
          rec.content.subarray(0, where),
          Buffer.from('"'),
          rec.content.subarray(where),
        ]);
        // Only damage a reader can see: the record alone must no longer be valid CSV.
        try {
          parseCsv(Buffer.concat([ex.header, content]), { bom: true });
          return null;
        } catch {
          return { kind, content };
        }
      }
      case 'extra cell':
        return { kind, content: rebuild([...rec.cells.slice(0, -1), 'x', rec.cells[rec.cells.length - 1]]) };
      case 'missing cell':
        return { kind, content: rebuild(rec.cells.slice(0, -1)) };
      case 'utf8':
        return {
          kind,
          content: Buffer.concat([
            rec.content.subarray(0, at),
            Buffer.from(pick(INVALID_UTF8)),
            rec.content.subarray(at),
          ]),
        };
      default: {
        const names = parseCsv(ex.header, { bom: true })[0] as string[];
        const column = pick(INT_COLUMNS);
        const i = names.findIndex((n) => n.toLowerCase().replace(/ /g, '_') === column);
        const cells = [...rec.cells];
        cells[i] = pick(JUNK_NUMBERS);
        return { kind: `number ${column}`, content: rebuild(cells) };
      }
    }
  }

  it.each(SEEDS)(
    'seed %i: damaged rows are rejected on their line, every other row loads exactly',
    async (seed) => {
      const rng = new Rng(seed);
      const ex = await exportFor(seed % VARIANTS.length);
      const damaged = new Map<number, { kind: string; content: Buffer }>();
      const parts: Buffer[] = [ex.header];
      const starts: number[] = [];
      const want = 1 + Math.floor(rng.next() * 8);
      while (damaged.size < want) {
        const index = Math.floor(rng.next() * ex.records.length);
        const d = damaged.has(index) ? null : damage(ex, index, rng);
        if (d) damaged.set(index, d);
      }
      let offset = ex.header.length;
      ex.records.forEach((rec, i) => {
        starts.push(offset);
        const d = damaged.get(i);
        const bytes = d ? Buffer.concat([d.content, rec.bytes.subarray(rec.content.length)]) : rec.bytes;
        parts.push(bytes);
        offset += bytes.length;
      });
      const body = Buffer.concat(parts);
      const lineOf = (i: number) => 1 + linesBefore(body, starts[i]);

      serveBody(body);
      const got = await extract(PIECES[seed % PIECES.length]);
      expect(got.error).toBeUndefined();
      // No wrong row: whatever loaded equals the clean export's row.
      for (const [id, row] of got.rows) expect(row, `row ${id}`).toEqual(ex.reference.get(id));
      // A reject covers its line and the lines of its raw text (a damaged multi-line row is one reject).
      const covered = got.rejects.map((r) => [
        r.line!,
        r.line! + linesBefore(Buffer.from(r.raw), Buffer.byteLength(r.raw)),
      ]);
      const spans: [number, number][] = [];
      ex.records.forEach((rec, i) => {
        if (!damaged.has(i)) {
          expect(got.rows.has(rec.id), `untouched row ${rec.id} on line ${lineOf(i)}`).toBe(true);
          return;
        }
        const { kind, content } = damaged.get(i)!;
        const line = lineOf(i);
        spans.push([line, line + linesBefore(content, content.length)]);
        if (got.rows.has(rec.id)) return;
        // Adjacent damaged rows may share one reject: the one whose lines cover this row's first line.
        const at = covered.findIndex(([a, b]) => line >= a && line <= b);
        expect(at, `damaged row (${kind}) on line ${line} is in the rejects`).toBeGreaterThanOrEqual(0);
        const firstLine = content.toString('utf8').split(/\r\n|\n|\r/)[0];
        expect(got.rejects[at].raw).toContain(firstLine);
        expect(got.rejects[at].reason).not.toBe('');
      });
      // Rejects hold damaged rows' lines and nothing else.
      for (const [first, last] of covered) {
        for (let line = first; line <= last; line++) {
          expect(
            spans.some(([a, b]) => line >= a && line <= b),
            `line ${line} of the reject on line ${first}`,
          ).toBe(true);
        }
      }
      expect(got.received).toBe(got.rows.size + got.rejects.length);
    },
  );

  it.each(SEEDS.slice(0, 10))(
    'seed %i: a connection dropped mid-row fails with a retryable error naming the line',
    async (seed) => {
      const rng = new Rng(seed);
      const ex = await exportFor(seed % VARIANTS.length);
      const index = Math.floor(rng.next() * ex.records.length);
      const start = ex.header.length + ex.records.slice(0, index).reduce((n, r) => n + r.bytes.length, 0);
      const cut = start + 1 + Math.floor(rng.next() * (ex.records[index].content.length - 1));
      serveBody(ex.body, cut);
      const got = await extract(PIECES[seed % PIECES.length]);
      expect(got.error).toBeInstanceOf(NetworkError);
      expect(isRetryable(got.error)).toBe(true);
      const line = 1 + linesBefore(ex.body, start);
      expect((got.error as Error).message).toMatch(
        new RegExp(`^GET /calls/export window fuzz line ${line}: response body truncated`),
      );
    },
  );

  it.each(SEEDS.slice(10, 20))(
    'seed %i: a complete response whose CSV stops mid-row fails as truncated, naming the line',
    async (seed) => {
      const rng = new Rng(seed);
      const ex = await exportFor(seed % VARIANTS.length);
      const index = Math.floor(rng.next() * ex.records.length);
      const rec = ex.records[index];
      const start = ex.header.length + ex.records.slice(0, index).reduce((n, r) => n + r.bytes.length, 0);
      // Cut before the last cell starts (a cut inside it leaves a complete-looking row) and not right after
      // a line break inside a quoted field (indistinguishable from a row boundary without HTTP framing).
      const lastCell = Buffer.byteLength(quoteCell(rec.cells[rec.cells.length - 1]));
      let cut: number;
      do cut = start + 1 + Math.floor(rng.next() * (rec.content.length - lastCell - 1));
      while (ex.body[cut - 1] === 0x0a || ex.body[cut - 1] === 0x0d);
      serveBody(ex.body.subarray(0, cut));
      const got = await extract(PIECES[seed % PIECES.length]);
      expect(got.error).toBeInstanceOf(NetworkError);
      expect(isRetryable(got.error)).toBe(true);
      const line = 1 + linesBefore(ex.body, start);
      expect((got.error as Error).message).toMatch(
        new RegExp(
          `^GET /calls/export window fuzz line ${line}: response body truncated: the body ends inside`,
        ),
      );
    },
  );
});
