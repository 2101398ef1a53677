import { defineCommand, withConfig } from './common.js';

export const runsCommand = defineCommand({
  command: 'runs',
  describe: "list the pipeline's runs, newest first (from _sync_runs)",
  builder: (y) =>
    withConfig(y)
      .option('limit', { type: 'number', default: 20, describe: 'how many runs' })
      .option('json', { type: 'boolean', default: false, describe: 'a JSON array of run records' })
      .check((a) => {
        if (!Number.isInteger(a.limit) || a.limit < 1)
          throw new Error(`--limit: expected a whole number >= 1, got ${a.limit}`);
        return true;
      })
      .example('$0 runs', 'the last 20 runs')
      .example('$0 runs --limit 1 --json', 'the last run, as JSON'),
  handler: async (args) => {
    const [{ defaultConnector }, { readDestination }, { formatRows }, { EXIT, reportFatal }, { literal }] =
      await Promise.all([
        import('../../../connectors/index.js'),
        import('../read-destination.js'),
        import('../output.js'),
        import('../exit.js'),
        import('../../load/sql.js'),
      ]);
    try {
      const { config, reader } = await readDestination(args.config, defaultConnector);
      if (!reader) {
        process.stdout.write(args.json ? '[]\n' : 'no runs yet\n');
        return EXIT.ok;
      }
      try {
        const result = await reader.query(
          `SELECT run_id, status, started_at, finished_at, account, rows, rejected, requests, retries, watermark, message
           FROM _sync_runs WHERE pipeline = ${literal(config.name)} ORDER BY started_at DESC LIMIT ${args.limit}`,
        );
        process.stdout.write(formatRows(result, args.json ? 'json' : 'table'));
      } finally {
        reader.close();
      }
      return EXIT.ok;
    } catch (err) {
      return reportFatal(err);
    }
  },
});
