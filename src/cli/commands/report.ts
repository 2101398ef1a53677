import { defineCommand, withConfig } from './common.js';
import { checkRange } from './run.js';

export const reportCommand = defineCommand({
  command: 'report',
  describe: 'write a self-contained HTML report (charts as inline SVG, no network needed to view it)',
  builder: (y) =>
    withConfig(y)
      .option('out', { type: 'string', demandOption: true, describe: 'the HTML file to write' })
      .option('start-date', {
        type: 'string',
        describe: 'first day of calls shown (YYYY-MM-DD); with --end-date',
      })
      .option('end-date', { type: 'string', describe: 'day after the last day shown, exclusive' })
      .option('account', { type: 'string', describe: "only this account's calls" })
      .option('title', { type: 'string', default: 'CallScaler calls', describe: 'the report title' })
      .check((a) => checkRange(a['start-date'], a['end-date']))
      .example('$0 report --out report.html', 'every call synced so far')
      .example('$0 report --out march.html --start-date 2026-03-01 --end-date 2026-04-01', 'March only'),
  handler: async (args) => {
    const [{ defaultConnector }, { readDestination }, { atomicWrite }, { EXIT, reportFatal }, path] =
      await Promise.all([
        import('../../../connectors/index.js'),
        import('../read-destination.js'),
        import('../../load/fsutil.js'),
        import('../exit.js'),
        import('node:path'),
      ]);
    try {
      if (!defaultConnector.report) throw new Error(`the ${defaultConnector.name} connector has no report`);
      const { config, reader, where } = await readDestination(args.config, defaultConnector);
      if (!reader) {
        process.stderr.write(
          `callscaler-sync: nothing has been synced to ${where} yet (run the pipeline first)\n`,
        );
        return EXIT.failed;
      }
      let html: string;
      try {
        html = await defaultConnector.report(reader, {
          title: args.title,
          pipeline: config.name,
          start: args.startDate,
          end: args.endDate,
          account: args.account,
        });
      } finally {
        reader.close();
      }
      const out = path.resolve(args.out);
      await atomicWrite(out, html);
      process.stdout.write(`wrote ${out} (${Math.round(html.length / 1024)} KB)\n`);
      return EXIT.ok;
    } catch (err) {
      return reportFatal(err);
    }
  },
});
