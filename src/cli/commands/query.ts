import { OUTPUT_FORMATS } from '../output.js';
import { defineCommand, withConfig } from './common.js';

export const queryCommand = defineCommand({
  command: 'query <sql>',
  describe: 'run SQL on the destination (a Parquet dataset is seen through views) and print the rows',
  builder: (y) =>
    withConfig(y)
      .positional('sql', { type: 'string', demandOption: true, describe: 'one SQL statement (read-only)' })
      .option('format', { choices: OUTPUT_FORMATS, default: 'table' as const, describe: 'output format' })
      .example('$0 query "SELECT channel, count(*) FROM calls GROUP BY 1"', 'an aligned table')
      .example('$0 query "SELECT * FROM daily_calls" --format csv > daily.csv', 'CSV with a header')
      .example('$0 query "SELECT id, value_cents FROM calls LIMIT 5" --format json', 'one JSON array'),
  handler: async (args) => {
    const [{ defaultConnector }, { readDestination }, { formatRows }, { EXIT, reportFatal }] =
      await Promise.all([
        import('../../../connectors/index.js'),
        import('../read-destination.js'),
        import('../output.js'),
        import('../exit.js'),
      ]);
    try {
      const { reader, where } = await readDestination(args.config, defaultConnector);
      if (!reader) {
        process.stderr.write(
          `callscaler-sync: nothing has been synced to ${where} yet (run the pipeline first)\n`,
        );
        return EXIT.failed;
      }
      try {
        process.stdout.write(formatRows(await reader.query(args.sql), args.format));
      } finally {
        reader.close();
      }
      return EXIT.ok;
    } catch (err) {
      return reportFatal(err);
    }
  },
});
