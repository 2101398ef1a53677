import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's root (the folder of its package.json), from sources (tests) or from dist/ alike. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** The first line of a written pipeline.yaml: points an editor at the shipped JSON Schema, relative to `dir`. */
export function schemaComment(dir: string): string {
  const schema = path.join(packageRoot(), 'docs', 'pipeline.schema.json');
  if (!existsSync(schema)) return '';
  const rel = path.relative(dir, schema).split(path.sep).join('/');
  return `# yaml-language-server: $schema=${rel.startsWith('.') ? rel : `./${rel}`}\n`;
}
