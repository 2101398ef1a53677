// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} references are what these tests are about
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest';
import type { CallsStreamConfig } from '../../connectors/callscaler/config.js';
import {
  PIPELINE_JSON_SCHEMA_PATH,
  renderPipelineJsonSchema,
} from '../../connectors/callscaler/pipeline-json-schema.js';
import { callscalerPipelineSchema, type PipelineConfig } from '../../connectors/callscaler/streams.js';
import { loadConfig } from '../../src/config/load.js';
import { redact } from '../../src/config/redact.js';
import { ConfigError } from '../../src/errors.js';
import { defaultPipeline } from '../helpers/config-fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DEFAULT_PIPELINE = join(ROOT, 'pipeline.yaml');
const KEY = 'cs_key_Files-91b0c7e2aa54';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'config-files-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadError(file: string, env: NodeJS.ProcessEnv): Promise<ConfigError> {
  const err = await loadConfig(file, callscalerPipelineSchema, env).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('the default pipeline.yaml', () => {
  test('parses with CALLSCALER_API_KEY set', async () => {
    const cfg = await loadConfig(DEFAULT_PIPELINE, callscalerPipelineSchema, { CALLSCALER_API_KEY: KEY });
    expect(cfg).toEqual(defaultPipeline(KEY));
  });

  test('takes the base URL from CALLSCALER_BASE_URL (the simulator on loopback)', async () => {
    const env = { CALLSCALER_API_KEY: KEY, CALLSCALER_BASE_URL: 'http://127.0.0.1:4010/api/v1' };
    const cfg = await loadConfig(DEFAULT_PIPELINE, callscalerPipelineSchema, env);
    expect(cfg.source.base_url).toBe('http://127.0.0.1:4010/api/v1');
  });

  test('fails clearly without CALLSCALER_API_KEY', async () => {
    const err = await loadError(DEFAULT_PIPELINE, {});
    expect(err.message).toBe(`${DEFAULT_PIPELINE}: source.api_key: \${CALLSCALER_API_KEY} is not set`);
  });

  test('registers the key, so later output can be scrubbed', async () => {
    await loadConfig(DEFAULT_PIPELINE, callscalerPipelineSchema, { CALLSCALER_API_KEY: KEY });
    expect(redact(`GET /calls failed: Authorization: Bearer ${KEY}`)).toBe(
      'GET /calls failed: Authorization: Bearer ***',
    );
  });
});

describe('loadConfig', () => {
  test('a missing file names the flag', async () => {
    const file = join(dir, 'nope.yaml');
    expect((await loadError(file, {})).message).toBe(`config file not found: ${file} (pass --config FILE)`);
  });

  test('a directory is not a config file', async () => {
    expect((await loadError(dir, {})).message).toMatch(new RegExp(`^cannot read config file ${dir}: EISDIR`));
  });

  test('messages carry the file name as given', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(
      file,
      (await readFile(DEFAULT_PIPELINE, 'utf8')).replace('extract: list', 'extract: lists'),
    );
    expect((await loadError(file, { CALLSCALER_API_KEY: KEY })).message).toBe(
      `${file}: streams.calls.extract: expected one of list | export | auto, got "lists"`,
    );
  });
});

describe('docs/pipeline.schema.json', () => {
  test('is what the schema generates now (run `npm run schema` after changing it)', async () => {
    const committed = await readFile(join(ROOT, PIPELINE_JSON_SCHEMA_PATH), 'utf8');
    expect(committed).toBe(renderPipelineJsonSchema());
  });

  test('describes the file for an editor: closed mappings, defaults, ${VAR} allowed for numbers', () => {
    const schema = JSON.parse(renderPipelineJsonSchema());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['version', 'name', 'source', 'streams', 'destination']);
    const source = schema.properties.source;
    // api_key or accounts: which one is checked after the file is read, with its own message.
    expect(source.required).toEqual(['base_url']);
    expect(source.properties.page_size.default).toBe(500);
    expect(source.properties.page_size.anyOf[1].type).toBe('string');
    const calls = schema.properties.streams.properties.calls;
    expect(calls.properties.extract.enum).toEqual(['list', 'export', 'auto']);
    expect(calls.properties.filters.additionalProperties).toBe(false);
    expect(
      schema.properties.destination.oneOf.map(
        (o: { properties: { type: { const: string } } }) => o.properties.type.const,
      ),
    ).toEqual(['duckdb', 'parquet']);
  });
});

test('types follow the schema', () => {
  expectTypeOf<CallsStreamConfig['extract']>().toEqualTypeOf<'list' | 'export' | 'auto'>();
  expectTypeOf<CallsStreamConfig['include']>().toEqualTypeOf<('transcription' | 'summary')[]>();
  expectTypeOf<CallsStreamConfig['max_rejected']>().toEqualTypeOf<number>();
  expectTypeOf<CallsStreamConfig['filters']['qualified']>().toEqualTypeOf<boolean | undefined>();
  expectTypeOf<PipelineConfig['destination']>().toEqualTypeOf<
    | { type: 'duckdb'; path: string; schema: string; memory_limit: string }
    | { type: 'parquet'; dir: string; memory_limit: string }
  >();
  expectTypeOf<PipelineConfig['source']['timeout_ms']>().toEqualTypeOf<number>();
  expect(callscalerPipelineSchema.shape.streams).toBeDefined();
});
