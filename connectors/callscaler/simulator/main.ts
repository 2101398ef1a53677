/**
 * Runs the simulator as a process: `node dist/connectors/callscaler/simulator/main.js --size 100000`.
 * Prints one JSON line `{"url":...}` on stdout when listening (and sends it
 * over IPC when started with fork()), then serves until SIGINT/SIGTERM.
 *
 * Every option also comes from the environment (CALLSCALER_SIM_<NAME>); `--faults` takes a JSON fault
 * patch (any switch of POST /_sim/faults), and --latency / --rate-limit-every are applied on top of it.
 * `--now ISO` sets the provider's clock (the HTTP Date, what clients plan from) to that instant at start-up;
 * it runs on from there, so a dataset placed months back with --anchor stays months back whatever the day.
 */
import { parseArgs } from 'node:util';
import { startSimulator } from './index.js';
import type { FaultPatch, PhoneFormat } from './types.js';

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
    'phone-format': { type: 'string' },
    now: { type: 'string' },
    faults: { type: 'string' },
  },
});
const env = process.env;
const int = (v: string | undefined): number | undefined =>
  v === undefined || v === '' ? undefined : Number(v);

function faultPatch(json: string | undefined): FaultPatch {
  if (json === undefined || json === '') return {};
  try {
    return JSON.parse(json) as FaultPatch;
  } catch {
    throw new TypeError(`simulator: --faults / CALLSCALER_SIM_FAULTS must be JSON, got ${json.slice(0, 80)}`);
  }
}

/** A clock that reads `iso` now and runs on in real time; undefined leaves the real clock. */
function clockFrom(iso: string | undefined): (() => number) | undefined {
  if (iso === undefined || iso === '') return undefined;
  const at = Date.parse(iso);
  if (Number.isNaN(at))
    throw new TypeError(`simulator: --now / CALLSCALER_SIM_NOW is not an ISO date: ${iso}`);
  const offset = at - Date.now();
  return () => Date.now() + offset;
}

/** The dedicated flags win over the same switch in --faults; absent flags leave it alone. */
function withFlags(patch: FaultPatch): FaultPatch {
  const latencyMs = int(values.latency);
  const rateLimitEvery = int(values['rate-limit-every']);
  return {
    ...patch,
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(rateLimitEvery === undefined ? {} : { rateLimitEvery }),
  };
}

const sim = await startSimulator({
  seed: int(values.seed ?? env.CALLSCALER_SIM_SEED),
  size: int(values.size ?? env.CALLSCALER_SIM_SIZE),
  apiKey: values['api-key'] ?? env.CALLSCALER_SIM_API_KEY,
  anchor: values.anchor ?? env.CALLSCALER_SIM_ANCHOR,
  days: int(values.days ?? env.CALLSCALER_SIM_DAYS),
  host: values.host ?? env.CALLSCALER_SIM_HOST,
  port: int(values.port ?? env.CALLSCALER_SIM_PORT),
  now: clockFrom(values.now ?? env.CALLSCALER_SIM_NOW),
  phoneFormat: ((values['phone-format'] ?? env.CALLSCALER_SIM_PHONE_FORMAT) || undefined) as
    | PhoneFormat
    | undefined,
  faults: withFlags(faultPatch(values.faults ?? env.CALLSCALER_SIM_FAULTS)),
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
