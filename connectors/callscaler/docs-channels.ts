import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withChannelRules } from './normalize/attribution-doc.js';
import { packageRoot } from './pipeline-json-schema.js';

/**
 * `npm run docs:channels`: rewrites the README's section "How channel is derived" from the channel rules'
 * tables (normalize/attribution-doc.ts); a unit test fails when the committed README is out of date.
 */
async function main(): Promise<void> {
  const file = resolve(process.argv[2] ?? join(packageRoot(), 'README.md'));
  const before = await readFile(file, 'utf8');
  const after = withChannelRules(before);
  if (after !== before) await writeFile(file, after);
  process.stdout.write(`${after === before ? 'up to date' : 'rewrote the channel rules in'} ${file}\n`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
