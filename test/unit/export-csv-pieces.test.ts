import { describe, expect, it } from 'vitest';
import {
  type CsvReaderState,
  CsvRecordReader,
  type CsvReject,
} from '../../connectors/callscaler/extract/csv-records.js';
import { Rng } from '../../connectors/callscaler/simulator/prng.js';

/**
 * The export is read in pieces on worker threads: each piece is a new CsvRecordReader resumed from the state
 * where the previous one stopped, given the bytes it left unread and the next ones. Whatever the cuts, that
 * must read exactly what one reader reads over the whole body: the same records on the same lines, the same
 * rejects (a damaged row that spans a cut is still one reject), the same errors.
 */

interface Read {
  header: string[] | undefined;
  records: { line: number; lines: number; cells: string[]; raw: string }[];
  rejects: CsvReject[];
  error?: string;
}

function reader(out: Read, maxRecordBytes: number | undefined, resume?: CsvReaderState) {
  return new CsvRecordReader({
    maxRecordBytes,
    resume,
    onHeader: (rec) => {
      out.header = rec.cells;
    },
    onRecord: (rec) => {
      if (rec.cells.length !== out.header!.length)
        return { reason: `${rec.cells.length} cells`, split: true };
      if (!rec.validUtf8) return { reason: 'not UTF-8', split: false };
      // A value the consumer refuses (not a CSV matter): rejected whole, and it keeps a reject region open.
      if (rec.cells[1] === 'bad') return { reason: 'bad value', split: false };
      out.records.push({ line: rec.line, lines: rec.lines, cells: rec.cells, raw: rec.raw() });
      return undefined;
    },
    onReject: (r) => out.rejects.push(r),
  });
}

/**
 * Bytes reach a reader this many at a time. A record over `maxRecordBytes` is caught after the write that took
 * it over, so where writes end can decide whether it is caught as too big or by the quote that broke it, for
 * any reader: with a bound, both sides write byte by byte, and the reader's own choice is compared.
 */
const sliceOf = (maxRecordBytes: number | undefined) => (maxRecordBytes === undefined ? 7 : 1);

async function whole(input: Buffer, maxRecordBytes?: number): Promise<Read> {
  const out: Read = { header: undefined, records: [], rejects: [] };
  const r = reader(out, maxRecordBytes);
  const slice = maxRecordBytes === undefined ? input.length : 1;
  try {
    for (let i = 0; i < input.length; i += slice) r.write(input.subarray(i, i + slice));
    await r.end();
  } catch (err) {
    out.error = `${(err as Error).name}: ${(err as Error).message}`;
  }
  return out;
}

/** As the export sends pieces: each one is what the last left unread plus `size` more bytes (at least as many). */
async function inPieces(input: Buffer, sizes: () => number, maxRecordBytes?: number): Promise<Read> {
  const out: Read = { header: undefined, records: [], rejects: [] };
  let state: CsvReaderState | undefined;
  let tail = Buffer.alloc(0);
  let at = 0;
  try {
    for (;;) {
      const take = Math.max(sizes(), tail.length);
      const piece = Buffer.concat([tail, input.subarray(at, at + take)]);
      at = Math.min(input.length, at + take);
      const r = reader(out, maxRecordBytes, state);
      // Within a piece, bytes arrive in slices too.
      const slice = sliceOf(maxRecordBytes);
      for (let i = 0; i < piece.length; i += slice) r.write(piece.subarray(i, i + slice));
      if (at === input.length) {
        await r.end();
        return out;
      }
      const start = state?.offset ?? 0;
      state = r.state();
      expect(state.offset).toBeGreaterThanOrEqual(start);
      tail = piece.subarray(state.offset - start);
    }
  } catch (err) {
    out.error = `${(err as Error).name}: ${(err as Error).message}`;
  }
  return out;
}

const CELLS = ['plain', '', 'bad', 'x y', 'é🚰', '"q"', 'a,b', 'l1\nl2', 'l1\r\nl2\r\nl3', 'cr\rx'];
const DAMAGE = [
  '"',
  '""',
  '"x',
  'x"',
  ',',
  '\n',
  '\r\n',
  '\r',
  '\uFEFF',
  Buffer.from([0xff]),
  Buffer.from([0xe2, 0x82]),
];

/** A CSV of 3 columns, some rows damaged: stray quotes, line breaks, cells too many or too few, bad bytes. */
function body(rng: Rng): Buffer {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng.next() * xs.length)];
  const quote = (c: string) => (/[",\r\n]/.test(c) || rng.next() < 0.2 ? `"${c.replace(/"/g, '""')}"` : c);
  const nl = pick(['\n', '\r\n']);
  const parts: Buffer[] = [Buffer.from(`${rng.next() < 0.3 ? '\uFEFF' : ''}id,a,b${nl}`)];
  const rows = 5 + Math.floor(rng.next() * 25);
  for (let i = 0; i < rows; i++) {
    if (rng.next() < 0.08) parts.push(Buffer.from(nl));
    const n = rng.next() < 0.1 ? pick([2, 4]) : 3;
    const cells = [String(i), ...Array.from({ length: n - 1 }, () => pick(CELLS))];
    let line = Buffer.from(cells.map(quote).join(','));
    if (rng.next() < 0.2) {
      const at = Math.floor(rng.next() * (line.length + 1));
      const d = pick(DAMAGE);
      line = Buffer.concat([
        line.subarray(0, at),
        typeof d === 'string' ? Buffer.from(d) : d,
        line.subarray(at),
      ]);
    }
    parts.push(line);
    if (i < rows - 1 || rng.next() < 0.7) parts.push(Buffer.from(nl));
  }
  return Buffer.concat(parts);
}

describe('CsvRecordReader in pieces (the export on worker threads)', () => {
  it('reads exactly what one reader reads, wherever the pieces are cut (2,000 damaged bodies)', async () => {
    const rng = new Rng(7);
    for (let n = 0; n < 2000; n++) {
      const input = body(rng);
      const maxRecordBytes = rng.next() < 0.2 ? 40 : undefined;
      const expected = await whole(input, maxRecordBytes);
      const sizes = [() => 1, () => 16, () => 1 + Math.floor(rng.next() * 64)];
      for (const size of sizes) {
        const got = await inPieces(input, size, maxRecordBytes);
        expect(got, `body ${n}: ${JSON.stringify(input.toString('latin1'))}`).toEqual(expected);
      }
    }
  });

  it('carries a reject region across a cut: a damaged row and the rows after it that do not read are one reject', async () => {
    // Line 2 opens a quote that closes on line 3 (4 cells): lines 2-3 are rejected; line 4 is a whole row the
    // consumer refuses, so it joins the same reject; line 5 reads and closes it. Cut after line 3 and after 4.
    const input = Buffer.from('id,a,b\n1,"x,y\n2,p",q,r\n3,bad,z\n4,ok,ok\n');
    const expected = await whole(input);
    expect(expected.rejects).toEqual([
      {
        line: 2,
        raw: '1,"x,y\n2,p",q,r\n3,bad,z',
        reason: '4 cells (lines 2-3 read as one record); rejected with the 2 lines after it',
      },
    ]);
    for (const cut of [23, 31]) {
      const sizes = [cut, input.length];
      expect(await inPieces(input, () => sizes.shift() ?? 1)).toEqual(expected);
    }
  });

  it('a body cut off inside a record is truncated at the same line however it was cut into pieces', async () => {
    const input = Buffer.from('id,a\n1,"x\ny"\n2,"par');
    const expected = await whole(input);
    expect(expected.error).toBe('CsvTruncatedError: line 4: the body ends inside a quoted field');
    for (const size of [1, 3, 9]) expect(await inPieces(input, () => size)).toEqual(expected);
  });
});
