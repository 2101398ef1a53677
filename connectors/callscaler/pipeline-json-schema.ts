import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type JsonSchemaInfo, renderJsonSchema } from '../../src/config/json-schema.js';
import { callscalerPipelineSchema } from './streams.js';

/**
 * Writes docs/pipeline.schema.json (`npm run schema`), the editor's schema of this connector's pipeline.yaml;
 * a unit test fails when the committed file is out of date.
 */

export const PIPELINE_JSON_SCHEMA_PATH = 'docs/pipeline.schema.json';

export const PIPELINE_JSON_SCHEMA_INFO: JsonSchemaInfo = {
  id: 'https://github.com/callscaler-sync/callscaler-sync/docs/pipeline.schema.json',
  title: 'callscaler-sync pipeline.yaml',
  description:
    'A pipeline: where to read (source), what to sync (streams) and where to load it (destination). ' +
    // biome-ignore lint/suspicious/noTemplateCurlyInString: literal ${VAR} references, for the reader
    'String values may use ${VAR} and ${VAR:-default}.',
};

export function renderPipelineJsonSchema(): string {
  return renderJsonSchema(callscalerPipelineSchema, PIPELINE_JSON_SCHEMA_INFO);
}

/** The package root, whether this runs from sources (tests) or dist/ (npm run schema). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? join(packageRoot(), PIPELINE_JSON_SCHEMA_PATH));
  await writeFile(target, renderPipelineJsonSchema());
  process.stdout.write(`wrote ${target}\n`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
