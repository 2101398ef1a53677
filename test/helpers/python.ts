import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLI, ROOT, tempDir } from './cli.js';

export const EXAMPLES = path.join(ROOT, 'examples');

const exec = promisify(execFile);

/** Every .py file under examples/, as absolute paths, sorted. */
export function examplePythonFiles(): string[] {
  return fs
    .readdirSync(EXAMPLES, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.py'))
    .map((f) => path.join(EXAMPLES, f))
    .sort();
}

/**
 * Runs a Python script with examples/ on the path (so it can `import callscaler_cli`) and returns what it
 * printed on stdout, parsed as JSON. `input` reaches the script as `json.loads(sys.argv[1])`. No bytecode is
 * written into the repository.
 */
export async function python<T>(
  script: string,
  input: unknown = null,
  env: Record<string, string> = {},
): Promise<T> {
  const { stdout } = await exec('python3', ['-c', script, JSON.stringify(input)], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PYTHONPATH: EXAMPLES,
      PYTHONDONTWRITEBYTECODE: '1',
      ...env,
    },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as T;
}

/**
 * A folder holding a `callscaler-sync` executable that runs the built CLI, as `npm install -g` would put one
 * on PATH: the command lines the examples build run unchanged.
 */
export function cliShimDir(): string {
  const dir = tempDir('cs-bin-');
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const shim = path.join(dir, 'callscaler-sync');
  fs.writeFileSync(shim, `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(CLI)} "$@"\n`, { mode: 0o755 });
  return dir;
}
