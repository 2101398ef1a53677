import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { toArrowSchema } from '../../src/arrow/arrow-schema.js';
import type { ColumnType, TableSchema } from '../../src/schema/table.js';

const cases: [ColumnType, string][] = [
  ['utf8', 'Utf8'],
  ['int32', 'Int32'],
  ['int64', 'Int64'],
  ['float64', 'Float64'],
  ['bool', 'Bool'],
  ['timestamp', 'Timestamp<MICROSECOND, UTC>'],
  ['date', 'Date32<DAY>'],
  ['list_utf8', 'List<Utf8>'],
  ['json', 'Utf8'],
];

describe('toArrowSchema', () => {
  const schema: TableSchema = {
    name: 't',
    primaryKey: 'c0',
    columns: cases.map(([type], i) => ({ name: `c${i}`, type, origin: 'api', description: '' })),
  };
  const arrowSchema = toArrowSchema(schema);

  it.each(cases.map((c, i) => [...c, i] as const))('maps %s to %s, nullable', (_type, printed, i) => {
    const field = arrowSchema.fields[i];
    expect(field.name).toBe(`c${i}`);
    expect(String(field.type)).toBe(printed);
    expect(field.nullable).toBe(true);
  });

  it('keeps column order and gives timestamps UTC microseconds and list items the name "item"', () => {
    expect(arrowSchema.fields.map((f) => f.name)).toEqual(cases.map((_, i) => `c${i}`));
    const ts = arrowSchema.fields[5].type as arrow.TimestampMicrosecond;
    expect([ts.unit, ts.timezone]).toEqual([arrow.TimeUnit.MICROSECOND, 'UTC']);
    const list = arrowSchema.fields[7].type as arrow.List<arrow.Utf8>;
    expect([
      list.children[0].name,
      list.children[0].nullable,
      arrow.DataType.isUtf8(list.children[0].type),
    ]).toEqual(['item', true, true]);
    expect((arrowSchema.fields[6].type as arrow.DateDay).unit).toBe(arrow.DateUnit.DAY);
  });
});
