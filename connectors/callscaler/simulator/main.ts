/**
 * Runs the simulator as a process: `node dist/connectors/callscaler/simulator/main.js --size 100000`.
 * Prints one JSON line `{"url":...}` on stdout when listening (and sends it
 * over IPC when started with fork()), then serves until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startSimulator } from './index.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    size: { type: 'string' },
    'api-key': { type: 'string' },
    anchor: { type: 'string' },
    days: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    latency: { type: 'string' },
    'rate-limit-every': { type: 'string' },
  },
});
const env = process.env;
const int = (v: string | undefined): number | undefined =>
  v === undefined || v === '' ? undefined : Number(v);

const sim = await startSimulator({
  seed: int(values.seed ?? env.CALLSCALER_SIM_SEED),
  size: int(values.size ?? env.CALLSCALER_SIM_SIZE),
  apiKey: values['api-key'] ?? env.CALLSCALER_SIM_API_KEY,
  anchor: values.anchor ?? env.CALLSCALER_SIM_ANCHOR,
  days: int(values.days ?? env.CALLSCALER_SIM_DAYS),
  host: values.host ?? env.CALLSCALER_SIM_HOST,
  port: int(values.port ?? env.CALLSCALER_SIM_PORT),
  faults: {
    latencyMs: int(values.latency),
    rateLimitEvery: int(values['rate-limit-every']),
  },
});
// The key is not printed: the parent chose it (or uses the documented default).
process.stdout.write(`${JSON.stringify({ url: sim.url })}\n`);
process.send?.({ type: 'ready', url: sim.url });

const stop = () => {
  void sim.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
process.once('disconnect', stop);
