import { describe, expect, it } from 'vitest';
import { LoadError } from '../../src/errors.js';
import { fileComponent, resolvePath } from '../../src/load/fsutil.js';
import { createTableSql, fileList, ident, projection, validateSchema } from '../../src/load/sql.js';
import type { ColumnType, TableSchema } from '../../src/schema/table.js';

const col = (name: string, type: ColumnType) => ({ name, type, origin: 'api' as const, description: name });

describe('DDL derived from the schema', () => {
  it('maps every column type and the primary key', () => {
    const types: ColumnType[] = [
      'utf8',
      'int32',
      'int64',
      'float64',
      'bool',
      'timestamp',
      'date',
      'list_utf8',
      'json',
    ];
    const sql = createTableSql(
      't',
      types.map((t) => col(`c_${t}`, t)),
      ['c_utf8'],
    );
    expect(sql).toBe(
      [
        'CREATE TABLE "t" (',
        '  "c_utf8" VARCHAR,',
        '  "c_int32" INTEGER,',
        '  "c_int64" BIGINT,',
        '  "c_float64" DOUBLE,',
        '  "c_bool" BOOLEAN,',
        '  "c_timestamp" TIMESTAMPTZ,',
        '  "c_date" DATE,',
        '  "c_list_utf8" VARCHAR[],',
        '  "c_json" JSON,',
        '  PRIMARY KEY ("c_utf8")',
        ')',
      ].join('\n'),
    );
  });

  it('casts present columns and fills absent ones with typed NULLs', () => {
    expect(projection([col('a', 'int64'), col('b', 'json')], new Set(['a']), 'e')).toBe(
      'CAST(e."a" AS BIGINT) AS "a", CAST(NULL AS JSON) AS "b"',
    );
  });

  it('fails the statement on a NULL in a notNull column, with the given error', () => {
    expect(projection([col('id', 'utf8')], new Set(['id']), 's', { column: 'id', error: "no id's" })).toBe(
      `CAST(CASE WHEN s."id" IS NULL THEN error('no id''s') ELSE s."id" END AS VARCHAR) AS "id"`,
    );
  });
});

describe('identifiers and paths', () => {
  it.each(['calls', '_sync_state', 'a1_b2', 'select'])('accepts and quotes %s', (name) => {
    expect(ident(name)).toBe(`"${name}"`);
  });

  it.each(['Calls', '1abc', 'a-b', 'a"b', '', 'a b', 'ça'])('refuses identifier %j', (name) => {
    expect(() => ident(name)).toThrow(
      `invalid identifier ${JSON.stringify(name)}: expected ^[a-z_][a-z0-9_]*$`,
    );
  });

  it.each([
    ['calls', 'calls'],
    ['run-2024_01', 'run-2024_01'],
    ['a.b', 'a%2Eb'],
    ['../etc', '%2E%2E%2Fetc'],
    ['acct@x y', 'acct%40x%20y'],
    ['ü', '%C3%BC'],
  ])('encodes path component %j as %j', (input, expected) => {
    expect(fileComponent(input, 'x')).toBe(expected);
  });

  it('refuses empty path components, NUL bytes and glob characters', () => {
    expect(() => fileComponent('', 'state account')).toThrow('state account is empty');
    expect(() => resolvePath('a\0b', 'destination.path')).toThrow(
      'destination.path: path contains a NUL byte',
    );
    expect(() => resolvePath(' ', 'destination.dir')).toThrow('destination.dir: path is empty');
    expect(() => fileList(['/tmp/a*.parquet'])).toThrow(
      'refusing a file path with glob characters: /tmp/a*.parquet',
    );
    expect(fileList(["/tmp/it's.parquet"])).toBe("['/tmp/it''s.parquet']");
  });
});

describe('schema validation', () => {
  const base: TableSchema = {
    name: 't',
    primaryKey: 'id',
    partitionBy: 'd',
    columns: [col('id', 'utf8'), col('d', 'date')],
  };

  it.each<[string, TableSchema, string]>([
    [
      'duplicate column',
      { ...base, columns: [...base.columns, col('id', 'utf8')] },
      'table t: column id is defined twice',
    ],
    ['missing key', { ...base, primaryKey: 'nope' }, 'table t: primary key nope is not one of its columns'],
    ['non-date partition', { ...base, partitionBy: 'id' }, 'table t: partitionBy id must name a date column'],
    [
      'reserved column',
      { ...base, columns: [...base.columns, col('file_row_number', 'int64')] },
      'table t: column name file_row_number is reserved by the loader',
    ],
  ])('refuses a %s', (_name, schema, message) => {
    expect(() => validateSchema(schema)).toThrow(new LoadError(message));
  });

  it('accepts a valid schema', () => {
    expect(() => validateSchema(base)).not.toThrow();
  });
});
