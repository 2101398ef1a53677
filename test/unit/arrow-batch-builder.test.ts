import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { BatchBuilder } from '../../src/arrow/batch-builder.js';
import { DataError } from '../../src/errors.js';
import type { ColumnValue, TableSchema } from '../../src/schema/table.js';

const schema: TableSchema = {
  name: 'things',
  primaryKey: 'id',
  columns: [
    { name: 'id', type: 'utf8', origin: 'api', description: '' },
    { name: 'n', type: 'int32', origin: 'api', description: '' },
    { name: 'big', type: 'int64', origin: 'api', description: '' },
    { name: 'f', type: 'float64', origin: 'api', description: '' },
    { name: 'b', type: 'bool', origin: 'api', description: '' },
    { name: 'ts', type: 'timestamp', origin: 'api', description: '' },
    { name: 'd', type: 'date', origin: 'derived', description: '' },
    { name: 'tags', type: 'list_utf8', origin: 'api', description: '' },
    { name: 'doc', type: 'json', origin: 'meta', description: '' },
    { name: 'note', type: 'utf8', origin: 'api', description: '' },
  ],
};

const UNICODE = [
  '',
  'plain',
  'café',
  '日本語のテキスト',
  '👩‍👩‍👧 family',
  'e\u0301',
  'Ω≈ç√∫',
  '\u0000nul',
  'a"b\\c\n',
];
const BIG = [2n ** 53n + 1n, -(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 123456789012345678n];

/** A deterministic row exercising every type, null and edge case by index. */
function rowFor(i: number): ColumnValue[] {
  const nth = <T>(xs: readonly T[]): T => xs[i % xs.length];
  return [
    `id-${i}-${nth(UNICODE)}`,
    i % 7 === 0 ? null : i % 2 ? -(i * 1000) : 2 ** 31 - 1 - i,
    i % 5 === 0 ? null : i % 3 === 0 ? i * 17 : nth(BIG), // safe-integer numbers are accepted for int64
    i % 11 === 0 ? null : i / 7 - 3000,
    i % 3 === 0 ? null : i % 2 === 0,
    i % 13 === 0 ? null : 1_774_000_000_000 + i * 1_001 - (i % 4 === 0 ? 1_900_000_000_000 : 0),
    i % 17 === 0 ? null : 20_000 + (i % 400) - (i % 9 === 0 ? 30_000 : 0),
    i % 6 === 0 ? null : i % 6 === 1 ? [] : [nth(UNICODE), `t${i}`, ''].slice(0, 1 + (i % 3)),
    i % 4 === 0 ? null : JSON.stringify({ i, s: nth(UNICODE) }),
    i % 9 === 0 ? null : i % 500 === 1 ? 'x'.repeat(20_000) + nth(UNICODE) : nth(UNICODE),
  ];
}

/** What Arrow JS hands back for a value we appended. */
function expectedRead(col: string, v: ColumnValue): unknown {
  if (v === null) return null;
  if (col === 'big') return BigInt(v as number | bigint);
  if (col === 'd') return (v as number) * 86_400_000;
  return v;
}

function readValue(table: arrow.Table, col: string, i: number): unknown {
  const v = table.getChild(col)!.get(i);
  if (col === 'tags' && v !== null) return [...(v as arrow.Vector)];
  return v;
}

function roundTrip(batches: arrow.RecordBatch[]): arrow.Table {
  return arrow.tableFromIPC(arrow.tableToIPC(new arrow.Table(batches), 'stream'));
}

describe('BatchBuilder', () => {
  it('round-trips 10k rows through Arrow IPC in several finish() cycles, value for value', () => {
    const builder = new BatchBuilder(schema);
    const batches: arrow.RecordBatch[] = [];
    const sizes: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      builder.append(rowFor(i));
      if (builder.length === 3_000) {
        const batch = builder.finish()!;
        sizes.push(batch.numRows);
        batches.push(batch);
        expect(builder.length).toBe(0);
      }
    }
    const last = builder.finish()!;
    batches.push(last);
    sizes.push(last.numRows);
    expect(sizes).toEqual([3_000, 3_000, 3_000, 1_000]);
    expect(builder.finish()).toBeNull();

    const table = roundTrip(batches);
    expect(table.numRows).toBe(10_000);
    const names = schema.columns.map((c) => c.name);
    let compared = 0;
    for (let i = 0; i < 10_000; i++) {
      const row = rowFor(i);
      for (let c = 0; c < names.length; c++) {
        const got = readValue(table, names[c], i);
        const want = expectedRead(names[c], row[c]);
        if (!Object.is(got, want) && JSON.stringify(got, big) !== JSON.stringify(want, big)) {
          expect({ row: i, column: names[c], got }).toEqual({ row: i, column: names[c], got: want });
        }
        compared++;
      }
    }
    expect(compared).toBe(100_000);
  });

  it('keeps nulls, empty strings, empty lists, unicode, int64 beyond 2^53 and ms timestamps exact', () => {
    const builder = new BatchBuilder(schema);
    const rows: ColumnValue[][] = [
      ['a', 0, 2n ** 53n + 1n, 0.1, true, 1_774_000_000_123, 0, [], '{}', ''],
      ['', null, null, null, null, null, null, null, null, null],
      ['👍🏽', -(2 ** 31), -(2n ** 63n), -0.5, false, -1, -1, ['', '日本', '👩‍👩‍👧'], '[]', 'é'],
      ['z', 2 ** 31 - 1, 9_007_199_254_740_991, Number.MAX_VALUE, true, 1.5, 19_000, ['x'], 'null', null],
      ['n', 7, -1_099_511_627_777, -0, false, -62_135_596_800_001, -719_162, [], null, '\u{10FFFF}'],
    ];
    for (const r of rows) builder.append(r);
    const table = roundTrip([builder.finish()!]);
    const read = (i: number) => schema.columns.map((c) => readValue(table, c.name, i));
    expect(read(0)).toEqual(['a', 0, 9_007_199_254_740_993n, 0.1, true, 1_774_000_000_123, 0, [], '{}', '']);
    expect(read(1)).toEqual(['', null, null, null, null, null, null, null, null, null]);
    expect(read(2)).toEqual([
      '👍🏽',
      -2147483648,
      -9223372036854775808n,
      -0.5,
      false,
      -1,
      -86_400_000,
      ['', '日本', '👩‍👩‍👧'],
      '[]',
      'é',
    ]);
    expect(read(3)).toEqual([
      'z',
      2147483647,
      9_007_199_254_740_991n,
      Number.MAX_VALUE,
      true,
      1.5,
      19_000 * 86_400_000,
      ['x'],
      'null',
      null,
    ]);
    // negative numbers take the two-halves path for int64 and timestamps
    expect(read(4)).toEqual([
      'n',
      7,
      -1_099_511_627_777n,
      -0,
      false,
      -62_135_596_800_001,
      -719_162 * 86_400_000,
      [],
      null,
      '\u{10FFFF}',
    ]);
    expect(table.getChild('ts')!.data[0].values[3]).toBe(1_500n); // 1.5 ms is stored as 1500 µs
    expect(table.getChild('ts')!.data[0].values[0]).toBe(1_774_000_000_123_000n);
  });

  it('refuses a bad value with the column named, rolls the row back, and keeps going', () => {
    const builder = new BatchBuilder(schema);
    builder.append(rowFor(1));
    const bad = rowFor(2);
    bad[8] = 42; // doc (json) is text: every earlier column already took its value
    let thrown: unknown;
    try {
      builder.append(bad);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DataError);
    expect((thrown as DataError).message).toBe('things.doc (json): expected string, got number 42');
    expect((thrown as DataError).context).toEqual({ table: 'things', column: 'doc', rowInBatch: 1 });
    expect(builder.length).toBe(1);
    builder.append(rowFor(3));
    const table = roundTrip([builder.finish()!]);
    expect(table.numRows).toBe(2);
    expect(readValue(table, 'id', 1)).toBe(rowFor(3)[0]);
    expect(readValue(table, 'tags', 1)).toEqual(rowFor(3)[7]);
    expect(readValue(table, 'tags', 0)).toEqual(rowFor(1)[7]);
  });

  it.each([
    ['n', 1, 1.5, 'things.n (int32): expected int32, got number 1.5'],
    ['n', 1, 2 ** 31, 'things.n (int32): expected int32, got number 2147483648'],
    ['n', 1, '1', 'things.n (int32): expected int32, got string "1"'],
    [
      'big',
      2,
      2n ** 63n,
      'things.big (int64): expected int64 (bigint or safe integer number), got bigint 9223372036854775808',
    ],
    [
      'big',
      2,
      2 ** 53,
      'things.big (int64): expected int64 (bigint or safe integer number), got number 9007199254740992',
    ],
    ['f', 3, 1n, 'things.f (float64): expected float64, got bigint 1'],
    ['b', 4, 1, 'things.b (bool): expected bool, got number 1'],
    [
      'ts',
      5,
      '2026-01-01T00:00:00Z',
      'things.ts (timestamp): expected timestamp (epoch milliseconds), got string "2026-01-01T00:00:00Z"',
    ],
    ['d', 6, 1.5, 'things.d (date): expected date (integer days since epoch), got number 1.5'],
    ['tags', 7, 'a,b', 'things.tags (list_utf8): expected list of strings, got string "a,b"'],
    ['tags', 7, ['a', null], 'things.tags (list_utf8): expected list of strings (item 1), got null'],
    ['id', 0, ['x'], 'things.id (utf8): expected string, got array'],
    ['n', 1, 'y'.repeat(200), `things.n (int32): expected int32, got string "${'y'.repeat(80)}"…`],
  ] as const)('refuses %s = %j', (_col, index, value, message) => {
    const builder = new BatchBuilder(schema);
    const row = rowFor(1);
    row[index] = value as ColumnValue;
    expect(() => builder.append(row)).toThrow(message);
    expect(builder.length).toBe(0);
    expect(builder.finish()).toBeNull();
  });

  it('refuses a row with the wrong number of values', () => {
    expect(() => new BatchBuilder(schema).append(['a'])).toThrow(
      'things: a row has 1 values, the schema has 10 columns',
    );
  });

  it('grows past its initial buffers for megabyte strings and long lists', () => {
    const builder = new BatchBuilder(schema);
    const huge = '€'.repeat(400_000); // 1.2 MB of UTF-8
    const many = Array.from({ length: 5_000 }, (_, k) => `kw${k}`);
    for (let i = 0; i < 3; i++) builder.append(['id', 1, 1n, 1, true, 0, 0, many, null, huge + i]);
    expect(builder.byteLength).toBeGreaterThan(3 * 1_200_000);
    const table = roundTrip([builder.finish()!]);
    expect(readValue(table, 'note', 2)).toBe(`${huge}2`);
    expect(readValue(table, 'tags', 1)).toEqual(many);
  });
});

function big(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? `${v}n` : v;
}
