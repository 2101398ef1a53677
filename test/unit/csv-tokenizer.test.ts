import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvTokenizer } from '../../connectors/callscaler/extract/csv-tokenizer.js';
import { Rng } from '../../connectors/callscaler/simulator/prng.js';

interface Tokens {
  records: { cells: string[]; end: number }[];
  failure: string | undefined;
}

/** Tokenizes `input` cut at the given offsets (each piece written on its own), then ends it. */
function tokenize(input: string | Buffer, cuts: number[] = [], bom = false): Tokens {
  const buf = typeof input === 'string' ? Buffer.from(input) : input;
  const records: Tokens['records'] = [];
  const t = new CsvTokenizer({ bom, onRecord: (cells, end) => records.push({ cells, end }) });
  let from = 0;
  for (const cut of [...cuts, buf.length]) {
    t.write(buf.subarray(from, cut));
    from = cut;
  }
  t.end();
  return { records, failure: t.failure?.code };
}

/** Pieces of `size` bytes. */
const every = (size: number, length: number) =>
  Array.from({ length: Math.ceil(length / size) - 1 }, (_, i) => (i + 1) * size);

/** What csv-parse, with the options the export reader used to give it, reads up to its first failure. */
function oracle(input: Buffer, bom: boolean): Tokens {
  const records: Tokens['records'] = [];
  let failure: string | undefined;
  parse(input, {
    bom,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    on_skip: (err) => {
      failure ??= err?.code;
    },
    on_record: (cells: string[], info) => {
      if (failure === undefined) records.push({ cells, end: info.bytes });
      return null;
    },
  });
  return { records, failure };
}

const cellsOf = (t: Tokens) => t.records.map((r) => r.cells);

describe('CsvTokenizer: records', () => {
  it('ends records at LF, CRLF and a lone CR, each end just past the line break', () => {
    expect(tokenize('a,b\nc,d\r\ne,f\rg,h')).toEqual({
      records: [
        { cells: ['a', 'b'], end: 4 },
        { cells: ['c', 'd'], end: 9 },
        { cells: ['e', 'f'], end: 13 },
        { cells: ['g', 'h'], end: 16 },
      ],
      failure: undefined,
    });
  });

  it('skips lines with no characters, but not a line holding an empty quoted field or a comma', () => {
    const t = tokenize('\n\r\n\ra\n\n\r\r\n""\n,\n\n');
    expect(t.records).toEqual([
      { cells: ['a'], end: 6 },
      { cells: [''], end: 13 },
      { cells: ['', ''], end: 15 },
    ]);
    expect(tokenize('\r\n\n\r')).toEqual({ records: [], failure: undefined });
    expect(tokenize('')).toEqual({ records: [], failure: undefined });
  });

  it('keeps commas, line breaks and doubled quotes inside quoted fields', () => {
    const t = tokenize('"a,b","say ""hi""","x\r\ny\nz\rw",""""\n"",x\n');
    expect(cellsOf(t)).toEqual([
      ['a,b', 'say "hi"', 'x\r\ny\nz\rw', '"'],
      ['', 'x'],
    ]);
    expect(t.failure).toBeUndefined();
  });

  it('flushes a last record without a line break at the end, with a trailing empty cell after a comma', () => {
    expect(tokenize('a,b\nc,')).toEqual({
      records: [
        { cells: ['a', 'b'], end: 4 },
        { cells: ['c', ''], end: 6 },
      ],
      failure: undefined,
    });
    expect(tokenize('a\n"q ""x"""').records).toEqual([
      { cells: ['a'], end: 2 },
      { cells: ['q "x"'], end: 11 },
    ]);
    expect(tokenize('a\r').records).toEqual([{ cells: ['a'], end: 2 }]);
  });

  it('decodes UTF-8, and invalid bytes as U+FFFD as a whole-field decode does', () => {
    const input = Buffer.concat([
      Buffer.from('é,"🚰 '),
      Buffer.from([0xc3, 0x22, 0x22, 0xa9]),
      Buffer.from('"\n'),
    ]);
    expect(cellsOf(tokenize(input))).toEqual([['é', '🚰 \uFFFD"\uFFFD']]);
    expect(cellsOf(tokenize(input, every(1, input.length)))).toEqual([['é', '🚰 \uFFFD"\uFFFD']]);
  });
});

describe('CsvTokenizer: BOM', () => {
  it('skips a leading UTF-8 BOM when asked, offsets still counting its bytes, even split over chunks', () => {
    const input = Buffer.from('\uFEFFid,a\n1,2\n');
    const want = {
      records: [
        { cells: ['id', 'a'], end: 8 },
        { cells: ['1', '2'], end: 12 },
      ],
      failure: undefined,
    };
    for (const cuts of [[], [1], [2], [1, 2], [3], every(1, input.length)]) {
      expect(tokenize(input, cuts, true)).toEqual(want);
    }
  });

  it('keeps the BOM as text when not asked, or when it is not at the very start', () => {
    expect(cellsOf(tokenize('\uFEFFid\n'))).toEqual([['\uFEFFid']]);
    expect(cellsOf(tokenize('x\n\uFEFFid\n', [], true))).toEqual([['x'], ['\uFEFFid']]);
  });

  it('reads an input shorter than a BOM', () => {
    expect(tokenize('a', [], true).records).toEqual([{ cells: ['a'], end: 1 }]);
    expect(tokenize('', [], true)).toEqual({ records: [], failure: undefined });
  });
});

describe('CsvTokenizer: failures', () => {
  it.each([
    ['a quote inside an unquoted field', 'ok\nab"c,d\nnext\n', 'INVALID_OPENING_QUOTE'],
    ['a closing quote followed by text', 'ok\n"abc"x,d\nnext\n', 'CSV_INVALID_CLOSING_QUOTE'],
    ['a closing quote followed by a space', 'ok\n"abc" ,d\nnext\n', 'CSV_INVALID_CLOSING_QUOTE'],
    ['the input ending inside a quoted field', 'ok\n"abc\nnext\n', 'CSV_QUOTE_NOT_CLOSED'],
    ['the input ending after a doubled quote', 'ok\n"abc""', 'CSV_QUOTE_NOT_CLOSED'],
  ])('%s: the records before it, then the failure and nothing more', (_label, input, code) => {
    const want = { records: [{ cells: ['ok'], end: 3 }], failure: code };
    expect(tokenize(input)).toEqual(want);
    expect(tokenize(input, every(1, input.length))).toEqual(want);
  });

  it('a NUL byte after a closing quote is an invalid closing quote (csv-parse let it through)', () => {
    expect(tokenize('"a"\0b\n').failure).toBe('CSV_INVALID_CLOSING_QUOTE');
  });

  it('reports the offset of the byte that broke the rules', () => {
    const t = new CsvTokenizer({ onRecord: () => {} });
    t.write(Buffer.from('ok\n"abc"x'));
    expect(t.failure).toEqual({ code: 'CSV_INVALID_CLOSING_QUOTE', offset: 8 });
  });

  it('gives records as soon as they are complete, before end()', () => {
    const seen: string[][] = [];
    const t = new CsvTokenizer({ onRecord: (cells) => seen.push(cells) });
    t.write(Buffer.from('a,"b\n'));
    expect(seen).toEqual([]);
    t.write(Buffer.from('c"\nd'));
    expect(seen).toEqual([['a', 'b\nc']]);
    t.write(Buffer.from('\r'));
    expect(seen).toEqual([['a', 'b\nc']]);
    t.write(Buffer.from('x'));
    expect(seen).toEqual([['a', 'b\nc'], ['d']]);
  });
});

describe('CsvTokenizer: chunk boundaries', () => {
  const tricky = Buffer.concat([
    Buffer.from('\uFEFFid,"a ""q"", b",c\r\n\r\n1,"x\r\ny""",🚰é\r2,"""""","\n"""""\n"3"\r\n'),
    Buffer.from('4,"é"",'),
    Buffer.from([0xc3]),
    Buffer.from('"\r\n5,x"y\n'),
  ]);

  it('reads the same whatever the single cut (CRLF, "" pairs, UTF-8 and the BOM split)', () => {
    const whole = tokenize(tricky, [], true);
    expect(whole.records.length).toBe(5);
    expect(whole.failure).toBe('INVALID_OPENING_QUOTE');
    expect(whole).toEqual(oracle(tricky, true));
    for (let cut = 0; cut <= tricky.length; cut++) expect(tokenize(tricky, [cut], true)).toEqual(whole);
  });

  it('reads the same cut into pieces of every size from 1 to 9', () => {
    const whole = tokenize(tricky, [], true);
    for (let size = 1; size < 10; size++)
      expect(tokenize(tricky, every(size, tricky.length), true)).toEqual(whole);
  });
});

const BREAKS = ['\n', '\r\n', '\r'];
const WORDS = ['a', 'id', '42', 'x y', ' ', 'é', '🚰', '2026-07-04T10:00:00Z', ''];
const INSIDE = ['text', ',', '""', '\n', '\r\n', '\r', 'é', '🚰', ' '];
/** Single pieces for plain noise: every byte the tokenizer treats apart, and bytes that are not UTF-8. */
const NOISE: (string | number[])[] = ['"', ',', '\n', '\r', 'a', 'é', [0xc3], [0xff], [0xe2, 0x82]];

/** CSV-ish bytes: rows of plain and quoted fields, blank lines, then some damage (or plain noise). */
function randomCsv(rng: Rng): Buffer {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng.next() * xs.length)];
  const parts: Buffer[] = [];
  if (rng.next() < 0.1) parts.push(Buffer.from('\uFEFF'));
  if (rng.next() < 0.15) {
    for (let i = Math.floor(rng.next() * 40); i > 0; i--) {
      const p = pick(NOISE);
      parts.push(typeof p === 'string' ? Buffer.from(p) : Buffer.from(p));
    }
    return Buffer.concat(parts);
  }
  const rows = Math.floor(rng.next() * 8);
  for (let r = 0; r < rows; r++) {
    if (rng.next() < 0.1) parts.push(Buffer.from(pick(BREAKS)));
    const cells = 1 + Math.floor(rng.next() * 4);
    const line: string[] = [];
    for (let c = 0; c < cells; c++) {
      if (rng.next() < 0.5) line.push(pick(WORDS));
      else line.push(`"${Array.from({ length: Math.floor(rng.next() * 5) }, () => pick(INSIDE)).join('')}"`);
    }
    parts.push(Buffer.from(line.join(',')));
    if (r < rows - 1 || rng.next() < 0.7) parts.push(Buffer.from(pick(BREAKS)));
  }
  let body = Buffer.concat(parts);
  for (let d = rng.next() < 0.5 ? Math.floor(rng.next() * 3) : 0; d > 0 && body.length > 0; d--) {
    const at = Math.floor(rng.next() * body.length);
    const what = rng.next();
    if (what < 0.4) body = Buffer.concat([body.subarray(0, at), Buffer.from('"'), body.subarray(at)]);
    else if (what < 0.6) body = Buffer.concat([body.subarray(0, at), body.subarray(at + 1)]);
    else if (what < 0.8) body = body.subarray(0, at);
    else
      body = Buffer.concat([
        body.subarray(0, at),
        Buffer.from(pick(['\r', '\n', ',', 'z'])),
        body.subarray(at),
      ]);
  }
  return body;
}

describe('CsvTokenizer: the same as csv-parse', () => {
  it('gives the same records, end offsets and first failure on 4000 seeded CSV-ish inputs', () => {
    const failures = new Map<string, number>();
    let records = 0;
    for (let seed = 1; seed <= 4000; seed++) {
      const rng = new Rng(seed);
      const input = randomCsv(rng);
      const bom = rng.next() < 0.5;
      const want = oracle(input, bom);
      const cuts = Array.from({ length: Math.floor(rng.next() * 4) }, () =>
        Math.floor(rng.next() * (input.length + 1)),
      );
      const got = tokenize(
        input,
        cuts.sort((a, b) => a - b),
        bom,
      );
      expect({ seed, input: JSON.stringify(input.toString('latin1')), ...got }).toEqual({
        seed,
        input: JSON.stringify(input.toString('latin1')),
        ...want,
      });
      failures.set(String(want.failure), (failures.get(String(want.failure)) ?? 0) + 1);
      records += want.records.length;
    }
    // The inputs do reach every rule: each failure, clean inputs, and plenty of records.
    for (const code of [
      'undefined',
      'INVALID_OPENING_QUOTE',
      'CSV_INVALID_CLOSING_QUOTE',
      'CSV_QUOTE_NOT_CLOSED',
    ]) {
      expect(failures.get(code)).toBeGreaterThan(100);
    }
    expect(records).toBeGreaterThan(5000);
  });
});
