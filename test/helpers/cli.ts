import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'dist/src/cli/main.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would: a child process with its own environment. */
export function runCli(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  const child = spawnCli(args, opts);
  return collect(child);
}

export function spawnCli(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): ChildProcess {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...opts.env,
  };
  return spawn(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function tempDir(prefix = 'cs-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a pipeline.yaml into `dir` and returns its path. */
export function writePipeline(dir: string, yaml: string, name = 'pipeline.yaml'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, yaml);
  return file;
}

export interface PipelineOptions {
  extract?: 'list' | 'export' | 'auto';
  sync?: 'incremental' | 'full';
  include?: string[];
  destination: { type: 'duckdb'; path: string } | { type: 'parquet'; dir: string };
  streamExtra?: string;
  sourceExtra?: string;
}

export function pipelineYaml(o: PipelineOptions): string {
  const dest =
    o.destination.type === 'duckdb'
      ? `  type: duckdb\n  path: ${o.destination.path}`
      : `  type: parquet\n  dir: ${o.destination.dir}`;
  return `version: 1
name: test_pipeline
source:
  base_url: \${CALLSCALER_BASE_URL}
  api_key: \${CALLSCALER_API_KEY}
${o.sourceExtra ?? ''}
streams:
  calls:
    extract: ${o.extract ?? 'list'}
    sync: ${o.sync ?? 'incremental'}
    include: [${(o.include ?? ['transcription', 'summary']).join(', ')}]
${o.streamExtra ?? ''}
destination:
${dest}
`;
}
