import type { LogFormat, LogLevel } from '../log.js';
import { defineCommand, SUMMARY_OPTIONS, withConfig } from './common.js';

/** What a sync from the command line takes (the run command's options; the demo's too). */
export interface SyncArgs {
  config: string;
  startDate?: string;
  endDate?: string;
  stream?: string[];
  account?: string[];
  fullRefresh: boolean;
  strict: boolean;
  wait: boolean;
  json: boolean;
  quiet: boolean;
  logFormat: LogFormat;
  logLevel: LogLevel;
  /** A lookup: these call ids, by id (the `lookup` command). */
  lookup?: readonly string[];
}

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export function isCalendarDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const t = Date.parse(`${v}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === v;
}

/** The --start-date/--end-date checks, made before anything else happens; throws the usage message. */
export function checkRange(start: string | undefined, end: string | undefined): true {
  if (start === undefined && end === undefined) return true;
  if (start === undefined || end === undefined) throw new Error('--start-date and --end-date go together');
  for (const [flag, v] of [
    ['--start-date', start],
    ['--end-date', end],
  ] as const) {
    if (!isCalendarDate(v))
      throw new Error(`${flag}: expected a calendar date YYYY-MM-DD, got ${JSON.stringify(v)}`);
  }
  if (start >= end)
    throw new Error(`--start-date ${start} must be before --end-date ${end} (the range is [start, end))`);
  return true;
}

export const runCommand = defineCommand({
  command: 'run',
  describe: 'sync the pipeline into its destination',
  builder: (y) =>
    withConfig(y)
      .option('start-date', {
        type: 'string',
        describe: 'reload the created-date range [start, end) (UTC days); with --end-date',
      })
      .option('end-date', { type: 'string', describe: 'end of the range, exclusive (YYYY-MM-DD)' })
      .option('stream', { type: 'array', string: true, describe: 'only these streams' })
      .option('account', {
        type: 'array',
        string: true,
        describe: 'only these accounts (source.accounts names)',
      })
      .option('full-refresh', {
        type: 'boolean',
        default: false,
        describe: "replace each account's rows with a fresh snapshot (after changing pii or timezone)",
      })
      .option('strict', {
        type: 'boolean',
        default: false,
        describe: "fail a window whose count differs from the API's total",
      })
      .option('wait', {
        type: 'boolean',
        default: false,
        describe: 'wait for another run on the destination instead of exit 4',
      })
      .options(SUMMARY_OPTIONS)
      .check((a) => {
        // Not yargs' conflicts(): it counts the flag's default (false) as given.
        if (a['full-refresh'] && (a['start-date'] !== undefined || a['end-date'] !== undefined))
          throw new Error(
            "--full-refresh replaces all of an account's rows: it does not take --start-date/--end-date",
          );
        return checkRange(a['start-date'], a['end-date']);
      })
      .example('$0 run', 'sync ./pipeline.yaml (incremental after the first run)')
      .example('$0 run -c /etc/cs/pipeline.yaml --json', 'one JSON summary line on stdout, for a scheduler')
      .example('$0 run --start-date 2026-03-01 --end-date 2026-04-01', 'reload March (a backfill partition)'),
  handler: (args) => sync(args),
});

/** One sync, as `run` does it: one line on stderr on failure; with --json, one JSON line on stdout, always. */
export async function sync(args: SyncArgs): Promise<number> {
  // Loaded here, not at start-up: `--help` and the other commands do not pay for the engine.
  const [
    { createLogger },
    { reportFatal, EXIT },
    { earlySummary, formatSummary },
    { newRunId },
    { errorSummary },
  ] = await Promise.all([
    import('../log.js'),
    import('../exit.js'),
    import('../summary-text.js'),
    import('../../pipeline/run-id.js'),
    import('../../errors.js'),
  ]);
  const runId = newRunId();
  const startedMs = Date.now();
  const logger = createLogger({
    format: args.logFormat,
    level: args.logLevel,
    bar: Boolean(process.stderr.isTTY) && !args.json,
    quiet: args.quiet,
  });
  let pipeline: string | null = null;
  let printed = false;
  const print = (s: import('../../pipeline/summary.js').RunSummary) => {
    logger.stop();
    printed = true;
    process.stdout.write(args.json ? `${JSON.stringify(s)}\n` : `${formatSummary(s)}\n`);
  };
  const abort = new AbortController();
  const onSignal = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // The source side first (the config and the connector: light), so that the decode threads start loading
    // their modules on another core while this thread loads the engine (DuckDB, undici).
    const [
      { defaultConnector },
      { loadPipelineFile },
      { sourceOptionsFor },
      { selectStreams, selectAccounts },
      { workersFromEnv },
      { decodePoolFor },
    ] = await Promise.all([
      import('../../../connectors/index.js'),
      import('../pipeline-file.js'),
      import('../source-options.js'),
      import('../select.js'),
      import('../workers.js'),
      import('../../pipeline/decode-pool.js'),
    ]);
    const { config, baseDir } = await loadPipelineFile(args.config, defaultConnector, {
      accounts: args.account?.length ? args.account : undefined,
    });
    pipeline = config.name;
    const source = sourceOptionsFor(defaultConnector, config, baseDir);
    const streams = selectStreams(source.streams, args.stream, config.name);
    const accounts = selectAccounts(source.accounts, args.account);
    const workers = workersFromEnv();
    // A lookup fetches by id and decodes on this thread: no threads for it.
    if (!args.lookup && streams.some((s) => s.decoder)) decodePoolFor(streams, workers).warm();
    const [{ runOptionsFor }, { runPipeline }] = await Promise.all([
      import('../compose.js'),
      import('../../pipeline/run.js'),
    ]);
    const summary = await runPipeline({
      ...runOptionsFor(defaultConnector, config, baseDir, source),
      lookup: args.lookup,
      streams,
      accounts,
      fullRefresh: args.fullRefresh,
      workers,
      runId,
      emit: logger.event,
      range: args.startDate && args.endDate ? { start: args.startDate, end: args.endDate } : undefined,
      strict: args.strict,
      wait: args.wait,
      signal: abort.signal,
      onSummary: print,
    });
    if (args.lookup) reportNotFound(summary);
    return EXIT.ok;
  } catch (err) {
    logger.stop();
    const code = reportFatal(err);
    if (!printed && args.json) print(earlySummary({ runId, pipeline, startedMs, error: errorSummary(err) }));
    return code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** A lookup's unknown ids: not an error, but said on stderr (how many, and the first few). */
function reportNotFound(summary: import('../../pipeline/summary.js').RunSummary): void {
  for (const s of summary.streams) {
    const n = s.counters.not_found ?? 0;
    if (n === 0) continue;
    const first = (s.samples.not_found ?? []).join(', ');
    process.stderr.write(
      `callscaler-sync: lookup: ${n} id(s) not found in account ${s.account}: ${first}${n > (s.samples.not_found ?? []).length ? ', ...' : ''}\n`,
    );
  }
}
