import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../connectors/callscaler/simulator',
);
/** Static and dynamic import/export specifiers, also across line breaks. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

describe('simulator independence', () => {
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.ts'));

  it('reads the source files it checks', () => {
    expect(files).toContain('index.ts');
    expect(files).toContain('api-fields.ts');
    expect(files.length).toBeGreaterThan(20);
  });

  it('imports only node: built-ins and files of its own folder', () => {
    const outside: string[] = [];
    let relative = 0;
    for (const file of files) {
      const text = fs.readFileSync(path.join(DIR, file), 'utf8');
      for (const m of text.matchAll(SPECIFIER)) {
        const spec = m[1];
        if (spec.startsWith('node:')) continue;
        if (spec.startsWith('.')) {
          relative++;
          const target = path.resolve(DIR, spec);
          if (path.dirname(target) === DIR) continue;
        }
        outside.push(`${file}: ${spec}`);
      }
    }
    expect(relative).toBeGreaterThan(40);
    expect(outside).toEqual([]);
  });
});
