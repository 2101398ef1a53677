#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { demoCommand, demoOptions } from './demo.js';
import { EXIT, reportFatal } from './exit.js';
import { runCommand, runOptions } from './run.js';
import { simulateCommand, simulateOptions } from './simulate.js';

/** The `callscaler-sync` command line: one file per command. */
async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const guard =
    <A>(fn: (a: A) => Promise<unknown>) =>
    async (a: A) => {
      try {
        await fn(a);
      } catch (err) {
        code = reportFatal(err);
      }
    };
  await yargs(argv)
    .scriptName('callscaler-sync')
    .usage('$0 <command> [options]')
    .command('run', 'sync the pipeline into its destination', runOptions, guard(runCommand))
    .command('simulate', 'serve the built-in CallScaler simulator', simulateOptions, guard(simulateCommand))
    .command(
      'demo',
      'run the default pipeline against the built-in simulator',
      demoOptions,
      guard(demoCommand),
    )
    .demandCommand(1, 'name a command: run, simulate or demo')
    .strict()
    .help()
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`callscaler-sync: ${msg}\n`);
      code = EXIT.config;
    })
    .parseAsync();
  return code;
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.exitCode = reportFatal(err);
  },
);
