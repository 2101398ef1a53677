// Shared fixtures for the pipeline config tests: one base pipeline, edits applied by dotted path, and the
// fully defaulted result. Each test file keeps its own API key, so a leaked key names the file it came from.
import { stringify } from 'yaml';
import { callscalerPipelineSchema } from '../../connectors/callscaler/streams.js';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

export const DELETE = Symbol('delete');
export type Edits = Record<string, unknown>;

export const LOOPBACK_ONLY =
  'source.base_url: http:// is only allowed for loopback hosts (localhost, 127.0.0.1, ::1); use https://';

function base(): Record<string, unknown> {
  return {
    version: 1,
    name: 'callscaler',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} reference is what the fixture is about
    source: { base_url: 'https://callscaler.com/api/v1', api_key: '${CALLSCALER_API_KEY}' },
    streams: { calls: {} },
    destination: { type: 'duckdb', path: './out/callscaler.duckdb', memory_limit: '128MB' },
  };
}

/** The YAML of the base pipeline with `edits` applied: dotted path -> value, or DELETE. */
export function yamlWith(edits: Edits = {}): string {
  const doc = base();
  for (const [path, value] of Object.entries(edits)) {
    const keys = path.split('.');
    const last = keys.pop() as string;
    let node = doc;
    for (const key of keys) {
      if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    if (value === DELETE) delete node[last];
    else node[last] = value;
  }
  return stringify(doc);
}

/** `parse` and `errorOf` for the file name t.yaml, with `defaultEnv` unless a test passes its own. */
export function configParser(defaultEnv: NodeJS.ProcessEnv) {
  function parse(text: string, env: NodeJS.ProcessEnv = defaultEnv) {
    return parseConfig(text, 't.yaml', callscalerPipelineSchema, env);
  }

  function errorOf(text: string, env: NodeJS.ProcessEnv = defaultEnv): ConfigError {
    try {
      parse(text, env);
    } catch (err) {
      if (err instanceof ConfigError) return err;
      throw err;
    }
    throw new Error('expected a ConfigError');
  }

  return { parse, errorOf };
}

/** The base pipeline (and the default pipeline.yaml) after every default is filled in. */
export function defaultPipeline(apiKey: string) {
  return {
    version: 1,
    name: 'callscaler',
    source: {
      base_url: 'https://callscaler.com/api/v1',
      api_key: apiKey,
      account: 'default',
      timeout_ms: 30000,
      max_retries: 6,
      concurrency: 4,
      requests_per_second: 10,
      page_size: 500,
    },
    streams: {
      calls: {
        extract: 'list',
        sync: 'incremental',
        include: [],
        start_date: null,
        end_date: null,
        window_days: 'auto',
        lookback_minutes: 10,
        max_rejected: 0.01,
        filters: {},
        timezone: 'UTC',
        pii: {
          caller_number: 'keep',
          caller_name: 'keep',
          transcription: 'keep',
          summary: 'keep',
          recording_url: 'keep',
        },
        pii_salt: null,
      },
    },
    destination: { type: 'duckdb', path: './out/callscaler.duckdb', schema: 'main', memory_limit: '128MB' },
  };
}
