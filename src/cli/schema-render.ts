import { stringify } from 'yaml';
import { commentSql, createTableSql, DUCKDB_TYPES } from '../load/sql.js';
import type { TableSchema } from '../schema/table.js';

/** The data tables' columns for people: name, DuckDB type, description. */
export function schemaText(tables: readonly TableSchema[]): string {
  const out: string[] = [];
  for (const t of tables) {
    out.push(`${t.name}${t.description ? `: ${t.description}` : ''}`);
    const w = Math.max(...t.columns.map((c) => c.name.length));
    const tw = Math.max(...t.columns.map((c) => DUCKDB_TYPES[c.type].length));
    for (const c of t.columns)
      out.push(`  ${c.name.padEnd(w)}  ${DUCKDB_TYPES[c.type].padEnd(tw)}  ${c.description}`);
    out.push('');
  }
  return `${out.join('\n')}`;
}

/** The DDL a DuckDB destination runs, with its column comments. */
export function schemaSql(tables: readonly TableSchema[]): string {
  const out: string[] = [];
  for (const t of tables) {
    out.push(`${createTableSql(t.name, t.columns, [])};`);
    for (const c of t.columns) out.push(`${commentSql(t.name, c.name, c.description)};`);
    out.push('');
  }
  return out.join('\n');
}

export function schemaJson(tables: readonly TableSchema[]) {
  return tables.map((t) => ({
    table: t.name,
    description: t.description ?? null,
    primary_key: [...(t.accountColumn ? [t.accountColumn] : []), t.primaryKey],
    columns: t.columns.map((c) => ({
      name: c.name,
      type: DUCKDB_TYPES[c.type],
      origin: c.origin,
      description: c.description,
    })),
  }));
}

/**
 * A dbt `sources.yml`: the source with every table and column described, `unique` and `not_null` tests on the
 * key, and freshness on `_synced_at` (warn after a day without a sync, error after two).
 */
export function dbtSources(source: string, tables: readonly TableSchema[], schema: string): string {
  const doc = {
    version: 2,
    sources: [
      {
        name: source,
        description: `Tables loaded by callscaler-sync (${source}).`,
        schema,
        tables: tables.map((t) => ({
          name: t.name,
          ...(t.description ? { description: t.description } : {}),
          ...(t.columns.some((c) => c.name === '_synced_at')
            ? {
                loaded_at_field: '_synced_at',
                freshness: {
                  warn_after: { count: 24, period: 'hour' },
                  error_after: { count: 48, period: 'hour' },
                },
              }
            : {}),
          columns: t.columns.map((c) => ({
            name: c.name,
            description: c.description,
            data_type: DUCKDB_TYPES[c.type].toLowerCase(),
            // Ids are UUIDs: unique across accounts too.
            ...(c.name === t.primaryKey ? { data_tests: ['unique', 'not_null'] } : {}),
          })),
        })),
      },
    ],
  };
  return stringify(doc, { lineWidth: 0 });
}
