#!/usr/bin/env node
/**
 * The `callscaler-sync` command line: one file per command under commands/. Only yargs and the commands'
 * option definitions load at start-up; each command loads what it uses when it runs, so `--help` is quick.
 *
 * Scheduler safety: an unknown command or option, or a bad value, exits 2 with the usage error on stderr
 * before anything else happens (no file, no lock, no request).
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { checkCommand } from './commands/check.js';
import type { Command, GlobalOptions } from './commands/common.js';
import { demoCommand } from './commands/demo.js';
import { initCommand } from './commands/init.js';
import { lookupCommand } from './commands/lookup.js';
import { queryCommand } from './commands/query.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { runsCommand } from './commands/runs.js';
import { schemaCommand } from './commands/schema.js';
import { simulateCommand } from './commands/simulate.js';
import { stateCommand } from './commands/state.js';
import { LOG_FORMATS, LOG_LEVELS } from './log.js';
import { suggestCommand, suggestOption } from './suggest.js';

const USAGE = 2;

/**
 * Adds a command. Parsing only selects it: its handler runs after yargs has validated everything, because
 * yargs would run an async handler before reporting an unknown option (a sync that then "failed" with exit 2).
 */
function register<O>(
  parser: Argv<GlobalOptions>,
  c: Command<O>,
  select: (run: () => Promise<number>) => void,
): Argv<GlobalOptions> {
  return parser.command(c.command, c.describe, c.builder, (args) => select(() => c.handler(args)));
}

/**
 * The option names of the command that failed to parse. yargs passes its usage object to `fail`, which lists
 * them as the keys of its option descriptions; its types do not say so.
 */
function knownOptions(usage: unknown): string[] {
  if (typeof usage !== 'object' || usage === null || !('getDescriptions' in usage)) return [];
  const get = usage.getDescriptions;
  return typeof get === 'function' ? Object.keys(get.call(usage) as object) : [];
}

async function main(argv: string[]): Promise<number> {
  let selected: (() => Promise<number>) | undefined;
  let usageError: string | undefined;
  let parser: Argv<GlobalOptions> = yargs(argv)
    .scriptName('callscaler-sync')
    .usage('$0 <command> [options]\n\nKeep DuckDB or Parquet in sync with CallScaler call data.')
    .option('log-format', {
      choices: LOG_FORMATS,
      default: 'text' as const,
      describe: 'stderr logs: text lines, or JSON lines for log shippers',
      global: true,
    })
    .option('log-level', {
      choices: LOG_LEVELS,
      default: 'info' as const,
      describe: 'least severe log line shown',
      global: true,
    });
  const names = [
    runCommand,
    checkCommand,
    initCommand,
    schemaCommand,
    stateCommand,
    runsCommand,
    queryCommand,
    lookupCommand,
    reportCommand,
    demoCommand,
    simulateCommand,
  ].map((c) => c.command.split(' ')[0]);
  const done = (run: () => Promise<number>) => {
    selected = run;
  };
  parser = register(parser, runCommand, done);
  parser = register(parser, checkCommand, done);
  parser = register(parser, initCommand, done);
  parser = register(parser, schemaCommand, done);
  parser = register(parser, stateCommand, done);
  parser = register(parser, runsCommand, done);
  parser = register(parser, queryCommand, done);
  parser = register(parser, lookupCommand, done);
  parser = register(parser, reportCommand, done);
  parser = register(parser, demoCommand, done);
  parser = register(parser, simulateCommand, done);
  await parser
    .demandCommand(1, 'name a command (see --help)')
    .recommendCommands()
    .strict()
    .help()
    .alias('help', 'h')
    .version()
    .epilogue(
      'Exit codes: 0 ok, 1 failed, 2 usage or config, 3 authentication, 4 destination locked, 75 temporary (retry later).',
    )
    .wrap(Math.min(110, process.stdout.columns || 110))
    .exitProcess(false)
    .fail((msg, err, y) => {
      // Handlers run later, so whatever fails here is the command line (a check's message, or yargs' own).
      const text = msg ?? err?.message ?? 'invalid command line';
      const first = argv[0];
      usageError =
        first !== undefined && !first.startsWith('-') && !names.includes(first)
          ? `unknown command ${JSON.stringify(first)}${suggestCommand(first, names)}`
          : withoutCamelTwins(text) + suggestOption(text, knownOptions(y));
    })
    .parseAsync();
  if (usageError !== undefined) {
    process.stderr.write(`callscaler-sync: ${usageError}\nRun callscaler-sync --help for usage.\n`);
    return USAGE;
  }
  return selected ? selected() : 0;
}

/** yargs names an unknown `--full-refresh` twice (as written and camelCased): once is enough. */
function withoutCamelTwins(message: string): string {
  const m = /^(Unknown arguments?): (.+)$/.exec(message);
  if (!m) return message;
  const names = m[2].split(', ');
  const kept = names.filter(
    (n) => !(/[A-Z]/.test(n) && names.includes(n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))),
  );
  return `${kept.length === 1 ? 'Unknown argument' : 'Unknown arguments'}: ${kept.join(', ')}`;
}

/** `--ids -` (stdin) as yargs reads it: a lone `-` would otherwise be an unknown positional argument. */
function stdinValues(argv: string[]): string[] {
  return argv.flatMap((a, i) =>
    a === '-' && argv[i - 1] === '--ids' ? [] : a === '--ids' && argv[i + 1] === '-' ? ['--ids=-'] : [a],
  );
}

main(stdinValues(hideBin(process.argv))).then(
  (code) => {
    process.exitCode = code;
  },
  async (err) => {
    const { reportFatal } = await import('./exit.js');
    process.exitCode = reportFatal(err);
  },
);
