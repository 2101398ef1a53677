import type { ArgumentsCamelCase, Argv } from 'yargs';
import { defaultConnector } from '../../connectors/index.js';
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { type EngineConfig, runPipeline } from '../pipeline/run.js';
import type { RunSummary } from '../pipeline/summary.js';
import { formatSummary } from './print-summary.js';
import { progressReporter } from './progress.js';

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
  const config = await loadConfig(args.config, defaultConnector.pipelineSchema);
  const progress = progressReporter({ tty: Boolean(process.stderr.isTTY), quiet: args.quiet });
  const abort = new AbortController();
  const onSignal = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const summary = await runPipeline({
      config: config as unknown as EngineConfig,
      connector: defaultConnector.connector,
      emit: progress.emit,
      streams: args.stream,
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
