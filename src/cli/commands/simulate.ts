import { defineCommand } from './common.js';

export const simulateCommand = defineCommand({
  command: 'simulate',
  describe: 'serve the built-in CallScaler-compatible API (for trying things out)',
  builder: (y) =>
    y
      .option('port', { type: 'number', default: 8787, describe: 'port (0 = any free port)' })
      .option('host', { type: 'string', default: '127.0.0.1' })
      .option('size', { type: 'number', default: 5000, describe: 'calls to generate' })
      .option('seed', { type: 'number', default: 42 })
      .option('latency-ms', { type: 'number', default: 0, describe: 'delay before every response' })
      .option('api-key', {
        type: 'string',
        default: 'cs_key_simulator',
        describe: 'the key clients must send',
      })
      .example('$0 simulate --size 20000', 'then point CALLSCALER_BASE_URL at the printed URL'),
  handler: async (args) => {
    // The simulator is loaded only by demo and simulate (a test double, never part of a sync).
    const { startSimulator } = await import('../../../connectors/callscaler/simulator/index.js');
    const sim = await startSimulator({
      port: args.port,
      host: args.host,
      size: args.size,
      seed: args.seed,
      apiKey: args.apiKey,
      faults: { latencyMs: args.latencyMs },
    });
    process.stdout.write(
      `CallScaler simulator: ${args.size} calls at ${sim.url}\n` +
        `  export CALLSCALER_BASE_URL=${sim.url}\n  export CALLSCALER_API_KEY=<the --api-key value>\n` +
        `  switches: POST ${sim.url.replace(/\/api\/v1$/, '')}/_sim/faults | /_sim/mutate; Ctrl-C stops\n`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await sim.close();
    return 0;
  },
});
