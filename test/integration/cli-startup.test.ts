import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, collect, pipelineYaml, ROOT, tempDir, writePipeline } from '../helpers/cli.js';
import { useSimulator } from '../helpers/simulator.js';

/**
 * What each command loads: a command pays only for the libraries it uses (issue #15: DuckDB, Arrow, undici and
 * zod were loaded for every command, `--help` included). Not timed: the modules each thread loaded are recorded
 * by a loader hook registered in that thread, and named by package.
 */
const TRACE_HOOK = [
  'let thread;',
  'export function initialize(data) { thread = data.thread; }',
  'export async function load(url, context, next) {',
  '  const r = await next(url, context);',
  '  if (url.startsWith("file:")) process._rawDebug("LOADED " + thread + " " + url);',
  '  return r;',
  '}',
].join('\n');
// Worker threads inherit --import, so each thread registers the hook and says which thread it is.
const PRELOAD = `data:text/javascript,${encodeURIComponent(
  [
    "import { register } from 'node:module';",
    "import { isMainThread } from 'node:worker_threads';",
    `register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(TRACE_HOOK)}`)}, { data: { thread: isMainThread ? 'main' : 'worker' } });`,
  ].join('\n'),
)}`;

const HEAVY = [
  '@duckdb/node-api',
  'apache-arrow',
  'parquet-wasm',
  'libphonenumber-js',
  'undici',
  'zod',
  'yaml',
];

interface Loaded {
  code: number | null;
  stderr: string;
  main: Set<string>;
  worker: Set<string>;
}

async function loadedBy(args: string[], env: Record<string, string> = {}): Promise<Loaded> {
  const child = spawn(process.execPath, ['--import', PRELOAD, CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const r = await collect(child);
  const out: Loaded = { code: r.code, stderr: r.stderr, main: new Set(), worker: new Set() };
  for (const line of r.stderr.split('\n')) {
    const m = /^LOADED (main|worker) file:\/\/.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line);
    if (m) out[m[1] as 'main' | 'worker'].add(m[2]);
  }
  return out;
}

/** The heavy packages a thread loaded, sorted (so a failure names them). */
function heavyIn(loaded: Set<string>): string[] {
  return HEAVY.filter((p) => loaded.has(p));
}

describe('start-up: each command loads only what it uses', () => {
  const f = useSimulator({ size: 40 });

  it('--help and --version load only yargs', async () => {
    for (const args of [['--help'], ['--version'], ['run', '--help']]) {
      const r = await loadedBy(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.main.has('yargs'), args.join(' ')).toBe(true);
      expect(heavyIn(r.main), args.join(' ')).toEqual([]);
    }
  });

  it('schema and init: the config schema (zod), no database, no HTTP, no Arrow', async () => {
    const dir = tempDir();
    for (const args of [
      ['schema', '--format', 'dbt'],
      ['init', '--dir', path.join(dir, 'new')],
    ]) {
      const r = await loadedBy(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr.slice(-300)}`).toBe(0);
      expect(
        heavyIn(r.main).filter((p) => p !== 'zod' && p !== 'yaml'),
        args.join(' '),
      ).toEqual([]);
    }
  });

  it('check: config, one request (undici); no database library, no Arrow', async () => {
    const dir = tempDir();
    const cfg = writePipeline(dir, pipelineYaml({ destination: { type: 'duckdb', path: './out/x.duckdb' } }));
    const r = await loadedBy(['check', '-c', cfg], f.env);
    expect(r.code, r.stderr.slice(-300)).toBe(0);
    expect(heavyIn(r.main)).toEqual(['undici', 'zod', 'yaml']);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('a list run: the main thread fetches and loads (undici, DuckDB); Arrow, Parquet and phones load on the decode thread', async () => {
    const dir = tempDir();
    const cfg = writePipeline(dir, pipelineYaml({ destination: { type: 'duckdb', path: 'x.duckdb' } }));
    const r = await loadedBy(['run', '-c', cfg, '--json'], f.env);
    expect(r.code, r.stderr.slice(-300)).toBe(0);
    expect(heavyIn(r.main)).toEqual(['@duckdb/node-api', 'undici', 'zod', 'yaml']);
    expect(heavyIn(r.worker)).toEqual(['apache-arrow', 'parquet-wasm', 'libphonenumber-js']);

    // Reading the destination back needs DuckDB and the config, nothing of the sync.
    for (const args of [['state', 'show'], ['runs'], ['query', 'select count(*) from calls']]) {
      const read = await loadedBy([...args, '-c', cfg], f.env);
      expect(read.code, `${args.join(' ')}: ${read.stderr.slice(-300)}`).toBe(0);
      expect(heavyIn(read.main), args.join(' ')).toEqual(['@duckdb/node-api', 'zod', 'yaml']);
    }
  });

  it('an export run: rows are read and normalized on the decode thread; the main thread loads no phones', async () => {
    const dir = tempDir();
    const cfg = writePipeline(
      dir,
      pipelineYaml({ extract: 'export', destination: { type: 'duckdb', path: 'x.duckdb' } }),
    );
    const r = await loadedBy(['run', '-c', cfg, '--json'], f.env);
    expect(r.code, r.stderr.slice(-300)).toBe(0);
    // Arrow for the text fill, which this thread does (it needs no rows here: the export has the text).
    expect(heavyIn(r.main)).toEqual(['@duckdb/node-api', 'apache-arrow', 'undici', 'zod', 'yaml']);
    expect(heavyIn(r.worker)).toEqual(['apache-arrow', 'parquet-wasm', 'libphonenumber-js']);
  });
});
