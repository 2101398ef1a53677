import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import type { PipelineConfig } from '../config/schema.js';
import type { Connector } from '../connector/connector.js';
import { ConfigError } from '../errors.js';

/** A validated pipeline file, and the directory its relative paths are relative to. */
export interface PipelineFile<P extends PipelineConfig> {
  readonly file: string;
  readonly baseDir: string;
  readonly config: P;
}

export interface PipelineFileOptions {
  /** The command sends no request: unset secret variables are allowed (state, runs, query...). */
  readonly local?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Only these accounts will be used: the others' keys may be unset. */
  readonly accounts?: readonly string[];
}

/**
 * Reads a pipeline file as every command does: `.env` beside it first (Node's own loader; a variable already
 * set in the environment wins), then `${VAR}` interpolation and validation.
 */
export async function loadPipelineFile<P extends PipelineConfig>(
  file: string,
  connector: Connector<P>,
  options: PipelineFileOptions = {},
): Promise<PipelineFile<P>> {
  const absolute = path.resolve(file);
  const baseDir = path.dirname(absolute);
  const env = options.env ?? process.env;
  const dotenv = path.join(baseDir, '.env');
  if (env === process.env && existsSync(dotenv)) {
    try {
      process.loadEnvFile(dotenv);
    } catch (err) {
      throw new ConfigError(`cannot read ${dotenv}: ${(err as Error).message}`, { cause: err });
    }
  }
  const config = await loadConfig(file, connector.pipelineSchema, env, {
    optionalSecrets: options.local,
    onlyAccounts: options.accounts,
  });
  return { file: absolute, baseDir, config };
}
