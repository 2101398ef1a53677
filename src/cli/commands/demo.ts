import { defineCommand, withConfig } from './common.js';

export const demoCommand = defineCommand({
  command: 'demo',
  describe: 'run the pipeline against the built-in simulator (no key, no network) and show what you get',
  builder: (y) =>
    withConfig(y)
      .option('size', { type: 'number', default: 5000, describe: 'calls the simulator generates' })
      .example(
        '$0 demo',
        'syncs ./pipeline.yaml from a simulated account, then prints lead quality by source',
      ),
  handler: async (args) => {
    const [{ startSimulator }, { sync }, { EXIT }] = await Promise.all([
      // The simulator is loaded only by demo and simulate (a test double, never part of a sync).
      import('../../../connectors/callscaler/simulator/index.js'),
      import('./run.js'),
      import('../exit.js'),
    ]);
    const sim = await startSimulator({ size: args.size });
    process.env.CALLSCALER_BASE_URL = sim.url;
    process.env.CALLSCALER_API_KEY = sim.apiKey;
    process.stdout.write(
      `demo: built-in simulator with ${args.size} calls at ${sim.url} (no API key needed)\n`,
    );
    let code: number;
    try {
      code = await sync({
        ...args,
        fullRefresh: false,
        strict: false,
        wait: false,
        json: false,
        quiet: false,
      });
    } finally {
      await sim.close();
    }
    if (code !== EXIT.ok) return code;
    const [{ defaultConnector }, { readDestination }, { formatRows }] = await Promise.all([
      import('../../../connectors/index.js'),
      import('../read-destination.js'),
      import('../output.js'),
    ]);
    const { reader, where } = await readDestination(args.config, defaultConnector);
    if (!reader) return EXIT.failed;
    try {
      const result = await reader.query(`
        SELECT coalesce(source, '(none)') AS source, count(*) AS calls,
               count(*) FILTER (WHERE qualified_ai) AS qualified,
               round(avg(ai_score), 1) AS avg_ai_score,
               round(median(value_cents) / 100.0, 2) AS median_value_usd
        FROM calls GROUP BY 1 ORDER BY calls DESC`);
      process.stdout.write(
        `\nlead quality by source (${where}, table calls):\n${formatRows(result, 'table')}`,
      );
      process.stdout.write(
        `\nquery it: callscaler-sync query "SELECT channel, count(*) FROM calls GROUP BY 1"\n`,
      );
    } finally {
      reader.close();
    }
    return EXIT.ok;
  },
});
