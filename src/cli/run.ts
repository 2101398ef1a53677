import type { ArgumentsCamelCase, Argv } from 'yargs';
import { defaultConnector } from '../../connectors/index.js';
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { runPipeline } from '../pipeline/run.js';
import type { RunSummary } from '../pipeline/summary.js';
import { runOptionsFor } from './compose.js';
import { formatSummary } from './print-summary.js';
import { progressReporter } from './progress.js';
import { workersFromEnv } from './workers.js';

export interface RunArgs {
  config: string;
  startDate?: string;
  endDate?: string;
  stream?: string[];
  strict: boolean;
  wait: boolean;
  json: boolean;
  quiet: boolean;
}

export function runOptions(y: Argv): Argv<RunArgs> {
  return y
    .option('config', { alias: 'c', type: 'string', default: './pipeline.yaml', describe: 'pipeline file' })
    .option('start-date', { type: 'string', describe: 'backfill created-date window start (YYYY-MM-DD)' })
    .option('end-date', { type: 'string', describe: 'backfill window end, exclusive (YYYY-MM-DD)' })
    .option('stream', { type: 'array', string: true, describe: 'only these streams' })
    .option('strict', { type: 'boolean', default: false, describe: 'fail when a window does not reconcile' })
    .option('wait', { type: 'boolean', default: false, describe: 'wait for another run on the destination' })
    .option('json', { type: 'boolean', default: false, describe: 'print the summary as one JSON line' })
    .option('quiet', {
      alias: 'q',
      type: 'boolean',
      default: false,
      describe: 'no progress output',
    }) as unknown as Argv<RunArgs>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseRange(args: Pick<RunArgs, 'startDate' | 'endDate'>) {
  const { startDate, endDate } = args;
  if (startDate === undefined && endDate === undefined) return undefined;
  if (!startDate || !endDate) throw new ConfigError('--start-date and --end-date go together');
  for (const [flag, v] of [
    ['--start-date', startDate],
    ['--end-date', endDate],
  ] as const) {
    if (!DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
      throw new ConfigError(`${flag}: expected a date YYYY-MM-DD, got ${JSON.stringify(v)}`);
    }
  }
  return { start: startDate, end: endDate };
}

/** `callscaler-sync run`: load and validate the pipeline, run it, print the summary. */
export async function runCommand(args: ArgumentsCamelCase<RunArgs> | RunArgs): Promise<RunSummary> {
  const range = parseRange(args);
  const connector = defaultConnector;
  const config = await loadConfig(args.config, connector.pipelineSchema);
  const composed = runOptionsFor(connector, config);
  const streams = selectStreams(composed.streams, args.stream, config.name);
  const workers = workersFromEnv();
  const progress = progressReporter({ tty: Boolean(process.stderr.isTTY), quiet: args.quiet });
  const abort = new AbortController();
  const onSignal = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const summary = await runPipeline({
      ...composed,
      streams,
      workers,
      emit: progress.emit,
      range,
      strict: args.strict,
      wait: args.wait,
      signal: abort.signal,
    });
    progress.stop();
    process.stdout.write(args.json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`);
    return summary;
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The configured streams, or the ones named with --stream (each must be configured). */
function selectStreams<S extends { readonly name: string }>(
  all: readonly S[],
  names: string[] | undefined,
  pipeline: string,
) {
  if (names === undefined) return all;
  for (const name of names) {
    if (!all.some((s) => s.name === name)) {
      const known = all.map((s) => s.name).join(', ');
      throw new ConfigError(
        `stream ${name} is not configured in pipeline ${pipeline} (configured: ${known})`,
      );
    }
  }
  return all.filter((s) => names.includes(s.name));
}
