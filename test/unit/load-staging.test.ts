import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Stager } from '../../src/load/index.js';

let tmp: string;

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'load-staging-'));
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function table(ids: string[]): arrow.Table {
  return new arrow.Table({
    id: arrow.vectorFromArray(ids, new arrow.Utf8()),
    n: arrow.vectorFromArray(
      ids.map((_, i) => BigInt(i) * 10_000_000_000n),
      new arrow.Int64(),
    ),
    at: arrow.vectorFromArray(
      ids.map(() => Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
      new arrow.TimestampMicrosecond('UTC'),
    ),
    tags: arrow.vectorFromArray(
      ids.map((id) => [id, 'x']),
      new arrow.List(new arrow.Field('item', new arrow.Utf8(), true)),
    ),
  });
}

async function read(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

describe('Stager', () => {
  it('writes numbered Parquet files that DuckDB reads back with the Arrow types', async () => {
    const dir = path.join(tmp, 'run-1');
    const stager = new Stager(dir);
    await expect(fs.access(dir)).rejects.toThrow(); // created on first write only
    const first = await stager.write(table(['a', 'b']));
    const second = await stager.write(table(['c']).batches[0]);
    expect([first, second]).toEqual([path.join(dir, '000001.parquet'), path.join(dir, '000002.parquet')]);
    expect(stager.files).toEqual([first, second]);
    expect(await fs.readdir(dir)).toEqual(['000001.parquet', '000002.parquet']);
    const cols = await read(`DESCRIBE SELECT * FROM '${first}'`);
    expect(cols.map((c) => `${c.column_name} ${c.column_type}`)).toEqual([
      'id VARCHAR',
      'n BIGINT',
      'at TIMESTAMP WITH TIME ZONE',
      'tags VARCHAR[]',
    ]);
    expect(await read(`SELECT * FROM read_parquet(['${first}', '${second}']) ORDER BY id`)).toEqual([
      { id: 'a', n: '0', at: '2024-01-02 03:04:05.678+00', tags: ['a', 'x'] },
      { id: 'b', n: '10000000000', at: '2024-01-02 03:04:05.678+00', tags: ['b', 'x'] },
      { id: 'c', n: '0', at: '2024-01-02 03:04:05.678+00', tags: ['c', 'x'] },
    ]);
  });

  it('keeps call order when writes overlap, and lists only finished files', async () => {
    const stager = new Stager(path.join(tmp, 'run-2'));
    const big = table(Array.from({ length: 20_000 }, (_, i) => `id-${i}`));
    const writes = [stager.write(big), stager.write(table(['small'])), stager.write(big)];
    expect(stager.files).toEqual([]);
    const paths = await Promise.all(writes);
    expect(stager.files).toEqual(paths);
    expect(paths.map((p) => path.basename(p))).toEqual([
      '000001.parquet',
      '000002.parquet',
      '000003.parquet',
    ]);
  });

  it('resolves a relative directory against the working directory and removes it on cleanup', async () => {
    const rel = path.relative(process.cwd(), path.join(tmp, 'run-3'));
    const stager = new Stager(rel);
    expect(stager.dir).toBe(path.join(tmp, 'run-3'));
    await stager.write(table(['a']));
    await stager.cleanup();
    await expect(fs.access(path.join(tmp, 'run-3'))).rejects.toThrow();
    expect(stager.files).toEqual([]);
    await stager.cleanup(); // twice is fine
  });

  it('refuses a directory with a NUL byte', () => {
    expect(() => new Stager('out/\0x')).toThrow(
      'staging directory: path contains a NUL byte: "out/\\u0000x"',
    );
  });
});
