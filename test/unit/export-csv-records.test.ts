import { describe, expect, it } from 'vitest';
import {
  CsvRecordReader,
  type CsvReject,
  CsvTruncatedError,
} from '../../connectors/callscaler/extract/csv-records.js';

interface Read {
  header: string[] | undefined;
  records: { line: number; lines: number; cells: string[]; raw: string }[];
  rejects: CsvReject[];
  error?: Error;
}

/**
 * Reads `input` fed in pieces of `chunk` bytes. Records with the header's cell count and valid UTF-8 are
 * taken; a wrong count may be rows run together (split), invalid UTF-8 rejects the record whole.
 */
async function read(input: string | Buffer, chunk = Number.POSITIVE_INFINITY, maxRecordBytes?: number) {
  const out: Read = { header: undefined, records: [], rejects: [] };
  const reader = new CsvRecordReader({
    maxRecordBytes,
    onHeader: (rec) => {
      out.header = rec.cells;
    },
    onRecord: (rec) => {
      if (rec.cells.length !== out.header!.length)
        return { reason: `${rec.cells.length} cells`, split: true };
      if (!rec.validUtf8) return { reason: 'not UTF-8', split: false };
      out.records.push({ line: rec.line, lines: rec.lines, cells: rec.cells, raw: rec.raw() });
      return undefined;
    },
    onReject: (r) => out.rejects.push(r),
  });
  const buf = typeof input === 'string' ? Buffer.from(input) : input;
  try {
    for (let i = 0; i < buf.length; i += chunk)
      reader.write(buf.subarray(i, Math.min(buf.length, i + chunk)));
    await reader.end();
  } catch (err) {
    out.error = err as Error;
  }
  return out;
}

const cellsOf = (r: Read) => r.records.map((x) => [x.line, ...x.cells]);

describe('CsvRecordReader: records and their lines', () => {
  it('numbers lines as a text editor does: a quoted CRLF is one line break, blank lines count', async () => {
    const r = await read('id,a\r\n1,"x\r\ny"\r\n\r\n2,"p\nq\rr"\n3,z\r');
    expect(r.header).toEqual(['id', 'a']);
    expect(r.records).toEqual([
      { line: 2, lines: 2, cells: ['1', 'x\r\ny'], raw: '1,"x\r\ny"' },
      { line: 5, lines: 3, cells: ['2', 'p\nq\rr'], raw: '2,"p\nq\rr"' },
      { line: 8, lines: 1, cells: ['3', 'z'], raw: '3,z' },
    ]);
    expect(r.rejects).toEqual([]);
  });

  it('drops a UTF-8 BOM and keeps quotes, commas and unicode inside fields', async () => {
    const r = await read('\uFEFFid,name\n1,"Smith, ""Bob"" 🚰"\n');
    expect(r.header).toEqual(['id', 'name']);
    expect(cellsOf(r)).toEqual([[2, '1', 'Smith, "Bob" 🚰']]);
  });

  it('gives the same result whatever the chunk boundaries (CRLF, quotes and UTF-8 split)', async () => {
    const input = 'id,a,b\r\n1,"x ""q"" é\r\nz",🚰\r\n2,,"é"\r\n3,"a\nb",c\r\n4,x"y,z\r\n5,p,q';
    const whole = await read(input);
    expect(whole.records.length).toBe(4);
    expect(whole.rejects.map((x) => x.line)).toEqual([7]);
    for (const chunk of [1, 2, 3, 5, 7]) expect(await read(input, chunk)).toEqual(whole);
  });

  it('accepts a last record without a line break when it is complete', async () => {
    expect(cellsOf(await read('id,a\n1,b'))).toEqual([[2, '1', 'b']]);
    expect(cellsOf(await read('id,a\n1,"b"'))).toEqual([[2, '1', 'b']]);
  });

  it('reads an empty body as no header and no records', async () => {
    expect(await read('')).toEqual({ header: undefined, records: [], rejects: [] });
  });
});

describe('CsvRecordReader: broken rows', () => {
  it.each([
    ['a quote inside an unquoted field', '1,x"y,z', 'broken quoting: a quote inside an unquoted field'],
    [
      'a closing quote followed by text',
      '1,"x"y,z',
      'broken quoting: a closing quote followed by text instead of a delimiter or line break',
    ],
    ['a wrong cell count', '1,x,y,z', '4 cells'],
  ])('%s: that line is rejected, the next rows load', async (_label, bad, reason) => {
    const r = await read(`id,a,b\n0,a,b\n${bad}\n2,c,d\n`);
    expect(cellsOf(r)).toEqual([
      [2, '0', 'a', 'b'],
      [4, '2', 'c', 'd'],
    ]);
    expect(r.rejects).toEqual([{ line: 3, raw: bad, reason }]);
  });

  it('a stray quote that swallows the next rows: only its line is rejected, the swallowed rows load', async () => {
    const r = await read('id,a,b\n1,"x,y\n2,p,q\n3,"r",s\n4,t,u\n');
    expect(cellsOf(r)).toEqual([
      [3, '2', 'p', 'q'],
      [4, '3', 'r', 's'],
      [5, '4', 't', 'u'],
    ]);
    expect(r.rejects).toEqual([
      {
        line: 2,
        raw: '1,"x,y',
        reason: 'broken quoting: a closing quote followed by text instead of a delimiter or line break',
      },
    ]);
  });

  it('rows run together into one record with a wrong count: its first line is rejected, the rest re-read', async () => {
    // The stray quote closes validly on line 3: the parser sees one record of 4 cells on lines 2-3. Line 3
    // read again is broken too, and no row reads before line 4: lines 2-3 are one reject.
    const r = await read('id,a,b\n1,"x,y\n2,p",q,r\n3,s,t\n');
    expect(cellsOf(r)).toEqual([[4, '3', 's', 't']]);
    expect(r.rejects).toEqual([
      {
        line: 2,
        raw: '1,"x,y\n2,p",q,r',
        reason: '4 cells (lines 2-3 read as one record); rejected with the 1 line after it',
      },
    ]);
  });

  it('a damaged multi-line row is one reject, whatever its text lines look like on their own', async () => {
    const text = 'Agent: hi, "there"\r\nCaller: yes, ""quoted"", two\r\n"odd line\r\nlast, line';
    const row = `1,x,"${text.replace(/"/g, '""')}",extra`;
    const r = await read(`id,a,b\r\n${row}\r\n2,p,q\r\n`, 5);
    expect(cellsOf(r)).toEqual([[6, '2', 'p', 'q']]);
    expect(r.rejects).toEqual([
      {
        line: 2,
        raw: row,
        reason: '4 cells (lines 2-5 read as one record); rejected with the 3 lines after it',
      },
    ]);
  });

  it('a quote never closed until the end of a complete body: the line is rejected, the rows after it load', async () => {
    const r = await read('id,a\n1,"x\n2,y\n3,z\n');
    expect(cellsOf(r)).toEqual([
      [3, '2', 'y'],
      [4, '3', 'z'],
    ]);
    expect(r.rejects).toEqual([
      { line: 2, raw: '1,"x', reason: 'broken quoting: a quoted field that is never closed' },
    ]);
  });

  it('invalid UTF-8 rejects the record whole, with U+FFFD in its raw text, and never throws', async () => {
    const input = Buffer.concat([
      Buffer.from('id,a\n1,"multi\nline '),
      Buffer.from([0xff, 0xc3]),
      Buffer.from('"\n2,ok\n'),
    ]);
    for (const chunk of [1, 4, Number.POSITIVE_INFINITY]) {
      const r = await read(input, chunk);
      expect(cellsOf(r)).toEqual([[4, '2', 'ok']]);
      expect(r.rejects).toEqual([{ line: 2, raw: '1,"multi\nline \uFFFD\uFFFD"', reason: 'not UTF-8' }]);
    }
  });

  it('a record over maxRecordBytes (an unclosed quote) rejects its first line and reading goes on', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i + 3},row ${i + 3}`).join('\n');
    const r = await read(`id,a\n1,"never closed\n${rows}\n`, 16, 64);
    expect(r.rejects).toEqual([
      {
        line: 2,
        raw: '1,"never closed',
        reason: 'a record larger than 0 MiB (a quote that is never closed?)',
      },
    ]);
    expect(r.records.map((x) => x.cells[0])).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 3)));
    expect(r.records[0].line).toBe(3);
  });

  it('a single line longer than maxRecordBytes is an error, not unbounded memory', async () => {
    const r = await read(`id,a\n1,${'x'.repeat(200)}`, 16, 64);
    expect(r.error?.message).toBe('line 2: a line longer than 0 MiB; is this a CSV export?');
  });

  it('a header that is not valid CSV is an error', async () => {
    const r = await read('id,"a"b\n1,2\n');
    expect(r.error?.message).toBe(
      'line 1: the header is not valid CSV: broken quoting: a closing quote followed by text instead of a delimiter or line break',
    );
  });
});

describe('CsvRecordReader: a body cut off', () => {
  it.each([
    ['inside a quoted field', 'id,a,b\n1,x,y\n2,"some te', 3, 'the body ends inside a quoted field'],
    [
      'inside a record, cells missing',
      'id,a,b\n1,x,y\n2,x',
      3,
      'the body ends inside a record (2 of 3 cells, no line break after it)',
    ],
    [
      'inside a multi-line quoted field',
      'id,a\n1,"line one\r\nline tw',
      2,
      'the body ends inside a quoted field',
    ],
  ])('%s: CsvTruncatedError naming the line of the cut record', async (_label, input, line, detail) => {
    const r = await read(input, 3);
    expect(r.error).toBeInstanceOf(CsvTruncatedError);
    expect(r.error).toMatchObject({ line, detail, message: `line ${line}: ${detail}` });
  });

  it('the line of the first incomplete record is known while reading', () => {
    const reader = new CsvRecordReader({ onHeader: () => {}, onRecord: () => undefined, onReject: () => {} });
    reader.write(Buffer.from('id,a\n1,"x\ny"\n2,"par'));
    expect(reader.line).toBe(4);
  });
});
