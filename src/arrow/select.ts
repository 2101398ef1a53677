import * as arrow from 'apache-arrow';

/**
 * `batch` with the columns `order` names, in that order, each from `added` when given there (it replaces or
 * adds a column) or else from `batch`; names in neither are left out. Built from the columns' own data: Arrow's
 * `RecordBatch.select` lost a date column's values (apache-arrow 21, a 50-column batch), which Parquet then
 * refused.
 */
export function withColumns(
  batch: arrow.RecordBatch,
  order: readonly string[],
  added: Readonly<Record<string, arrow.Vector>> = {},
): arrow.RecordBatch {
  const fields: arrow.Field[] = [];
  const children: arrow.Data[] = [];
  for (const name of order) {
    const v = added[name];
    if (v) {
      fields.push(new arrow.Field(name, v.type, true));
      children.push(v.data[0]);
      continue;
    }
    const index = batch.schema.fields.findIndex((f) => f.name === name);
    if (index === -1) continue;
    fields.push(batch.schema.fields[index]);
    children.push(batch.data.children[index]);
  }
  const data = arrow.makeData({
    type: new arrow.Struct(fields),
    length: batch.numRows,
    nullCount: 0,
    children,
  });
  return new arrow.RecordBatch(new arrow.Schema(fields), data);
}
