/**
 * A CallScaler-compatible API server for the demo, the tests and the benchmarks: every endpoint of the
 * Calls API, deterministic realistic data, fault switches and live data changes.
 *
 *   const sim = await startSimulator({ size: 2000 });
 *   // base_url: sim.url, api_key: sim.apiKey
 *   sim.setFaults({ rateLimitEvery: 5 });
 *   sim.mutate({ add: 10, change: 5 });
 *   await sim.close();
 */
import { defaultFaults, mergeFaults } from './faults.js';
import { toHidden, toSimCall } from './record.js';
import { API_BASE, type ServerState, SimServer } from './server.js';
import { CallStore } from './store.js';
import type { FaultPatch, PhoneFormat, RunningSimulator, SimCall, SimulatorOptions } from './types.js';

export { DEFAULT_CSV, defaultFaults } from './faults.js';
export type {
  BatchShape,
  CsvVariant,
  FaultPatch,
  FaultSwitches,
  MutationResult,
  PhoneFormat,
  RecordingFormat,
  RequestLogEntry,
  RunningSimulator,
  SimCall,
  SimCallHidden,
  SimulatorOptions,
} from './types.js';

export const DEFAULTS = {
  seed: 42,
  size: 1000,
  apiKey: 'cs_key_simulator',
  anchor: '2026-11-01T00:00:00Z',
  days: 120,
  host: '127.0.0.1',
  port: 0,
  phoneFormat: 'mixed',
} as const;

const PHONE_FORMATS: readonly PhoneFormat[] = ['mixed', 'e164'];

function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function checkOptions(o: SimulatorOptions): { anchorMs: number } {
  const anchorMs = Date.parse(o.anchor ?? DEFAULTS.anchor);
  if (Number.isNaN(anchorMs)) throw new TypeError(`simulator: anchor is not an ISO date: ${o.anchor}`);
  for (const key of ['seed', 'size', 'days', 'port'] as const) {
    const v = o[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
      throw new TypeError(`simulator: ${key} must be a non-negative integer, got ${v}`);
    }
  }
  if (o.days === 0) throw new TypeError('simulator: days must be at least 1');
  if (o.phoneFormat !== undefined && !PHONE_FORMATS.includes(o.phoneFormat)) {
    throw new TypeError(
      `simulator: phoneFormat must be one of ${PHONE_FORMATS.join(', ')}, got ${o.phoneFormat}`,
    );
  }
  return { anchorMs };
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const { anchorMs } = checkOptions(opts);
  const now = opts.now ?? Date.now;
  const store = new CallStore({
    seed: opts.seed ?? DEFAULTS.seed,
    size: opts.size ?? DEFAULTS.size,
    anchorMs,
    days: opts.days ?? DEFAULTS.days,
    phoneFormat: opts.phoneFormat ?? DEFAULTS.phoneFormat,
  });
  const initialFaults = mergeFaults(defaultFaults(), opts.faults ?? {});
  const state: ServerState = {
    store,
    apiKey: opts.apiKey ?? DEFAULTS.apiKey,
    now,
    apiBase: '',
    faults: initialFaults,
    requestCount: 0,
    requestLog: [],
  };
  const mutate = (m: { add?: number; change?: number }) => store.mutate(m.add ?? 0, m.change ?? 0, now());
  const setFaults = (patch: unknown) => {
    state.faults = mergeFaults(state.faults, patch);
    return state.faults;
  };
  const resetFaults = () => {
    state.faults = defaultFaults();
    return state.faults;
  };
  const server = new SimServer(state, {
    setFaults,
    resetFaults,
    mutate,
    stats: () => ({ requestCount: state.requestCount, size: store.size }),
  });
  const host = opts.host ?? DEFAULTS.host;
  const address = await server.listen(host, opts.port ?? DEFAULTS.port);
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${urlHost}:${address.port}${API_BASE}`;
  state.apiBase = url;

  return {
    url,
    apiKey: state.apiKey,
    close: () => server.close(),
    setFaults: (f: FaultPatch) => {
      setFaults(f);
    },
    resetFaults: () => {
      resetFaults();
    },
    mutate,
    calls: (): SimCall[] =>
      store
        .all()
        .map((r) => toSimCall(r, url))
        .sort(byId),
    hiddenFields: () => store.all().map(toHidden).sort(byId),
    get requestCount() {
      return state.requestCount;
    },
    get requestLog() {
      return state.requestLog;
    },
  };
}
