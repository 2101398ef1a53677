import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ROOT, tempDir } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';

const exec = promisify(execFile);

interface PackEntry {
  path: string;
}
interface PackResult {
  filename: string;
  files: PackEntry[];
}

const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' };

/** `npm pack --json` in `cwd`; the packed file list and the tarball's name. */
async function npmPack(cwd: string, args: string[]): Promise<PackResult> {
  const { stdout } = await exec('npm', ['pack', '--json', ...args], {
    cwd,
    env: npmEnv,
    maxBuffer: 64 * 1024 * 1024,
  });
  // Scripts (prepare: the build) print before the JSON with --json; the JSON array is the tail.
  const [result] = JSON.parse(stdout.slice(stdout.indexOf('[\n'))) as PackResult[];
  return result;
}

/** A temp dir removed when the test ends (the installed project alone is ~150 MB). */
function scratch(prefix: string): string {
  const dir = tempDir(prefix);
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function expectOnlyWhatTheCliNeeds(files: string[]): void {
  for (const needed of [
    'package.json',
    'README.md',
    'LICENSE',
    'dist/src/cli/main.js',
    'dist/src/workers/decode-worker.js',
    'dist/connectors/index.js',
    'dist/connectors/callscaler/extract/list-decode.js',
    'dist/connectors/callscaler/simulator/index.js',
    'docs/pipeline.schema.json',
  ]) {
    expect(files).toContain(needed);
  }
  const unwanted = files.filter(
    (f) =>
      /^(test|bench|src|connectors|scripts|examples|\.ci)\//.test(f) ||
      f.startsWith('dist/bench/') ||
      /\.ts$/.test(f) ||
      /\.map$/.test(f),
  );
  expect(unwanted).toEqual([]);
  expect(
    files.every((f) => f.startsWith('dist/') || f === 'docs/pipeline.schema.json' || !f.includes('/')),
  ).toBe(true);
}

describe('npm package', () => {
  it('npm pack --dry-run lists only the CLI: dist/src, dist/connectors, the JSON Schema, README, LICENSE', async () => {
    // --ignore-scripts: `prepare` would rebuild dist/ under the other test files that are running it.
    const result = await npmPack(ROOT, ['--dry-run', '--ignore-scripts']);
    expectOnlyWhatTheCliNeeds(result.files.map((f) => f.path));
  });

  it('the tarball (built by prepare from a clean copy) installs into an empty project: --help, init, demo, query', async () => {
    // A copy of the sources as a clone has them (tracked and new files, nothing ignored), so `prepare`
    // builds the tarball's dist/ from scratch without touching the dist/ other tests run.
    const src = scratch('cs-pack-src-');
    const { stdout: listed } = await exec(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      {
        cwd: ROOT,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    for (const rel of listed.split('\0').filter(Boolean)) {
      const from = path.join(ROOT, rel);
      if (!fs.existsSync(from)) continue; // deleted in the work tree
      fs.mkdirSync(path.dirname(path.join(src, rel)), { recursive: true });
      fs.copyFileSync(from, path.join(src, rel));
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(src, 'node_modules'), 'dir');
    const out = scratch('cs-pack-out-');
    const packed = await npmPack(src, ['--pack-destination', out]);
    expectOnlyWhatTheCliNeeds(packed.files.map((f) => f.path));
    const tarball = path.join(out, packed.filename);
    expect(fs.existsSync(tarball)).toBe(true);

    // An empty project installs it; the runtime dependencies come from the registry (or npm's cache).
    // `npx --no --`: the installed bin or an error, never a same-named package fetched from the registry.
    const project = scratch('cs-install-');
    fs.writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'try-callscaler-sync', version: '1.0.0', private: true }),
    );
    await exec('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: project, env: npmEnv });
    const npx = (args: string[]) =>
      exec('npx', ['--no', '--', 'callscaler-sync', ...args], {
        cwd: project,
        env: npmEnv,
        maxBuffer: 16 * 1024 * 1024,
      });

    const help = await npx(['--help']);
    for (const command of ['run', 'check', 'init', 'schema', 'state', 'runs', 'query', 'demo', 'simulate']) {
      expect(help.stdout).toMatch(new RegExp(`callscaler-sync ${command}\\b`));
    }

    await npx(['init']);
    const written = fs.readFileSync(path.join(project, 'pipeline.yaml'), 'utf8');
    // The editor hint points at the schema the package ships.
    const schema = /^# yaml-language-server: \$schema=(\S+)/.exec(written)?.[1];
    expect(schema).toBe('./node_modules/callscaler-sync/docs/pipeline.schema.json');
    expect(fs.existsSync(path.join(project, schema as string))).toBe(true);

    const demo = await npx(['demo', '--size', '300']);
    expect(demo.stdout).toMatch(/lead quality by source/);
    const db = path.join(project, 'out', 'callscaler.duckdb');
    expect(fs.existsSync(db)).toBe(true);
    const [count] = await query<{ n: number }>(db, 'SELECT count(*)::INTEGER AS n FROM calls', {
      readOnly: true,
    });
    expect(count.n).toBe(300);
  }, 300_000);
});

describe('Dockerfile (checked as text: no Docker daemon here, this is not a build)', () => {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const instructions = dockerfile
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))
    .map((l) => l.trim());

  it('has two node:20-slim stages, installs from the lockfile, runs as a non-root user, enters the CLI', () => {
    expect(instructions.filter((l) => l.startsWith('FROM '))).toEqual([
      'FROM node:20-slim AS build',
      'FROM node:20-slim AS runtime',
    ]);
    const runtime = instructions.slice(instructions.indexOf('FROM node:20-slim AS runtime'));
    expect(runtime.some((l) => /^RUN npm ci --omit=dev\b/.test(l))).toBe(true);
    expect(runtime.filter((l) => l.startsWith('COPY --from=build '))).toEqual([
      'COPY --from=build /app/dist/src ./dist/src',
      'COPY --from=build /app/dist/connectors ./dist/connectors',
    ]);
    const users = runtime.filter((l) => l.startsWith('USER '));
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^USER (root|0)(:|$)/);
    expect(instructions.at(-2)).toBe('ENTRYPOINT ["node", "dist/src/cli/main.js"]');
  });

  it('every path the build context must hold exists and is let through by .dockerignore', () => {
    const ignore = fs
      .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    // The file is an allowlist: everything out, then the named paths back in.
    expect(ignore[0]).toBe('*');
    const allowed = ignore.slice(1).map((l) => {
      expect(l.startsWith('!')).toBe(true);
      return l.slice(1).replace(/\/$/, '');
    });
    const sources = instructions
      .filter((l) => l.startsWith('COPY ') && !l.startsWith('COPY --from='))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(fs.existsSync(path.join(ROOT, source))).toBe(true);
      expect(allowed).toContain(source);
    }
  });
});
