import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_KEY } from './setup.js';
import { type DataShape, shapeNamed } from './shape.js';
import type { Endpoint } from './tasks/types.js';

const MAIN = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../connectors/callscaler/simulator/main.js',
);

export interface SimulatorProcess extends Endpoint {
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * The built-in simulator in a process of its own, so its CPU time is not charged to what is measured (on a
 * 2-core machine it still competes for the cores). Resolves when it listens.
 */
export function startSimulatorProcess(o: {
  size: number;
  latencyMs?: number;
  /** Default: the builtin shape. */
  shape?: DataShape;
}): Promise<SimulatorProcess> {
  const shape = o.shape ?? shapeNamed('builtin');
  const args = [
    '--size',
    String(o.size),
    '--port',
    '0',
    '--anchor',
    shape.anchor,
    '--days',
    String(shape.days),
    ...shape.simulatorArgs,
  ];
  if (o.latencyMs) args.push('--latency', String(o.latencyMs));
  const child: ChildProcess = fork(MAIN, args, {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, CALLSCALER_SIM_API_KEY: API_KEY },
    // A million calls with their transcriptions do not fit the default old space.
    execArgv: ['--max-old-space-size=8192'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`simulator (size ${o.size}) exited with ${code}`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.on('message', (m: { type?: string; url?: string }) => {
      if (m?.type !== 'ready' || !m.url) return;
      child.off('exit', onExit);
      resolve({
        baseUrl: m.url,
        apiKey: API_KEY,
        pid: child.pid!,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
