import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/cli.js';

const CRUISER = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Runs the project's boundary rules over a tree of planted files; returns the violations. */
function cruise(files: Record<string, string>, devDependencies: Record<string, string> = {}): Violation[] {
  const dir = tempDir('cs-boundaries-');
  fs.copyFileSync(path.join(ROOT, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
  fs.copyFileSync(path.join(ROOT, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', devDependencies }));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  let out: string;
  try {
    out = execFileSync(
      process.execPath,
      [CRUISER, 'src', 'connectors', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
      { cwd: dir, encoding: 'utf8' },
    );
  } catch (err) {
    // Violations make it exit non-zero; the report is still on stdout.
    out = (err as { stdout: string }).stdout;
  }
  return (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
}

const names = (v: Violation[]) => v.map((x) => `${x.rule.name}: ${x.from} -> ${x.to}`).sort();

describe('import boundaries (.dependency-cruiser.cjs)', () => {
  it('pass a tree that keeps them', () => {
    const v = cruise({
      'src/errors.ts': 'export const e = 1;\n',
      'src/connector/stream.ts': "import { e } from '../errors.js';\nexport const s = e;\n",
      'src/cli/run.ts': "import { c } from '../../connectors/x/index.js';\nexport const r = c;\n",
      'src/cli/commands/demo.ts':
        "export const d = () => import('../../../connectors/x/simulator/index.js');\n",
      'connectors/x/index.ts': "import { s } from '../../src/connector/stream.js';\nexport const c = s;\n",
      'connectors/x/simulator/index.ts': "import { f } from './fields.js';\nexport const sim = f;\n",
      'connectors/x/simulator/fields.ts': 'export const f = 1;\n',
    });
    expect(names(v)).toEqual([]);
  });

  it('fail on each planted violation, naming the rule and the files', () => {
    const v = cruise(
      {
        'src/errors.ts': 'export const e = 1;\n',
        'src/load/staging.ts': 'export const stage = 1;\n',
        'src/pipeline/run.ts': "import { c } from '../../connectors/x/index.js';\nexport const r = c;\n",
        'src/cli/run.ts':
          "import { sim } from '../../connectors/x/simulator/index.js';\nexport const r = sim;\n",
        'connectors/x/index.ts':
          "import { stage } from '../../src/load/staging.js';\nimport 'vitest';\nexport const c = stage;\n",
        'connectors/x/simulator/index.ts':
          "import { e } from '../../../src/errors.js';\nexport const sim = e;\n",
      },
      { vitest: '4.1.12' },
    );
    const got = names(v);
    expect(got).toContain('engine-knows-no-connector: src/pipeline/run.ts -> connectors/x/index.ts');
    expect(got).toContain('connector-uses-the-contract: connectors/x/index.ts -> src/load/staging.ts');
    expect(got).toContain(
      'product-never-imports-the-simulator: src/cli/run.ts -> connectors/x/simulator/index.ts',
    );
    expect(got).toContain('simulator-only-on-demand: src/cli/run.ts -> connectors/x/simulator/index.ts');
    expect(got).toContain('simulator-is-self-contained: connectors/x/simulator/index.ts -> src/errors.ts');
    expect(
      got.some((g) => g.startsWith('no-dev-dependencies-in-the-product: connectors/x/index.ts -> ')),
    ).toBe(true);
  });
});
