import type { ArgumentsCamelCase, Argv } from 'yargs';
import type { LogFormat, LogLevel } from '../log.js';

/** Options every command has (`--log-format`, `--log-level`), as yargs spells them. */
export interface GlobalOptions {
  'log-format': LogFormat;
  'log-level': LogLevel;
}

/**
 * A command: its yargs builder is cheap; its handler loads what it needs when it runs and returns the exit
 * code. `O` is the options as the builder declares them (kebab-case); the handler gets them camelCased too.
 */
export interface Command<O> {
  readonly command: string;
  readonly describe: string;
  readonly builder: (y: Argv<GlobalOptions>) => Argv<O>;
  readonly handler: (args: ArgumentsCamelCase<O>) => Promise<number>;
}

/** Declares a command, inferring its options from its builder. */
export function defineCommand<O>(c: Command<O>): Command<O> {
  return c;
}

/** `-c/--config FILE`, for every command that reads a pipeline file. */
export function withConfig<T>(y: Argv<T>) {
  return y.option('config', {
    alias: 'c',
    type: 'string',
    default: './pipeline.yaml',
    describe: 'pipeline file (relative paths in it are relative to its directory)',
  });
}

/** `--json` and `-q/--quiet`, for the commands that sync and end with a summary (`run`, `lookup`). */
export const SUMMARY_OPTIONS = {
  json: {
    type: 'boolean',
    default: false,
    describe: 'print the summary as one JSON line on stdout',
  },
  quiet: {
    alias: 'q',
    type: 'boolean',
    default: false,
    describe: 'no progress, only warnings and errors',
  },
} as const;
