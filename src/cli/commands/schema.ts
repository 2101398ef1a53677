import { defineCommand } from './common.js';

const FORMATS = ['text', 'sql', 'json', 'dbt'] as const;

export const schemaCommand = defineCommand({
  command: 'schema',
  describe: 'print the tables and columns a sync writes, with types and descriptions',
  builder: (y) =>
    y
      .option('format', { choices: FORMATS, default: 'text' as const, describe: 'output format' })
      .option('dbt-schema', {
        type: 'string',
        default: 'main',
        describe: 'with --format dbt: the schema the tables live in (destination.schema)',
      })
      .example('$0 schema', 'columns, DuckDB types and descriptions')
      .example('$0 schema --format sql', 'the DDL, with COMMENT ON COLUMN')
      .example('$0 schema --format dbt > models/sources.yml', 'a dbt sources.yml (tests on id, freshness)'),
  handler: async (args) => {
    const [{ defaultConnector }, render, { EXIT }] = await Promise.all([
      import('../../../connectors/index.js'),
      import('../schema-render.js'),
      import('../exit.js'),
    ]);
    const tables = defaultConnector.tables;
    const out = {
      text: () => render.schemaText(tables),
      sql: () => render.schemaSql(tables),
      json: () => `${JSON.stringify(render.schemaJson(tables), null, 2)}\n`,
      dbt: () => render.dbtSources(defaultConnector.name, tables, args.dbtSchema),
    }[args.format]();
    process.stdout.write(out);
    return EXIT.ok;
  },
});
