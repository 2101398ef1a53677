import { callscaler } from '../../connectors/callscaler/index.js';
import { runOptionsFor } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/config/load.js';
import type { CommitUnit, Destination } from '../../src/load/destination.js';
import { type RunOptions, runPipeline } from '../../src/pipeline/run.js';
import type { RunSummary } from '../../src/pipeline/summary.js';

export interface InProcessOptions extends Partial<Omit<RunOptions, 'destination'>> {
  /** Wraps the destination the config names (e.g. to delay or fail its commits). */
  readonly destination?: (configured: Destination) => Destination;
}

/** Runs a pipeline.yaml text in this process, composed as the CLI composes it (for tests that inject things). */
export function runYaml(
  yaml: string,
  env: Record<string, string>,
  opts: InProcessOptions = {},
): Promise<RunSummary> {
  const composed = runOptionsFor(
    callscaler,
    parseConfig(yaml, 'test.yaml', callscaler.pipelineSchema, env),
    process.cwd(),
  );
  const { destination: wrap, ...rest } = opts;
  return runPipeline({
    ...composed,
    ...rest,
    destination: wrap ? wrap(composed.destination) : composed.destination,
  });
}

/** A wrapper for the run's destination: `before(n, unit)` runs ahead of its n-th commit (1-based). */
export function beforeCommits(before: (n: number, unit: CommitUnit) => Promise<void>) {
  let n = 0;
  return (d: Destination): Destination =>
    new Proxy(d, {
      get(target, prop) {
        if (prop === 'commit') {
          return async (unit: CommitUnit) => {
            await before(++n, unit);
            return target.commit(unit);
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
}
