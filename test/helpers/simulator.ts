import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import {
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from '../../connectors/callscaler/simulator/index.js';
import { tempDir } from './cli.js';

export interface SimulatorFixture {
  readonly sim: RunningSimulator;
  /** A temp dir for the tests' files, made on first use. */
  readonly dir: string;
  /** What points a run at the simulator. */
  readonly env: Record<string, string>;
  /** A file in `dir`. */
  path(name: string): string;
}

/**
 * The integration tests' setup: a simulator on port 0 over real HTTP, started before the tests of the
 * enclosing describe (or file) and closed after them. Read the getters in tests and in later hooks.
 */
export function useSimulator(options: SimulatorOptions = {}): SimulatorFixture {
  let sim: RunningSimulator | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    sim = await startSimulator(options);
  });
  afterAll(() => sim?.close());
  const started = (): RunningSimulator => {
    if (!sim) throw new Error('useSimulator: the simulator starts in beforeAll; read it in tests and hooks');
    return sim;
  };
  const fixture: SimulatorFixture = {
    get sim() {
      return started();
    },
    get dir() {
      dir ??= tempDir();
      return dir;
    },
    get env() {
      const { url, apiKey } = started();
      return { CALLSCALER_BASE_URL: url, CALLSCALER_API_KEY: apiKey };
    },
    path: (name) => path.join(fixture.dir, name),
  };
  return fixture;
}
