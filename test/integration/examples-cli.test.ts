// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} references in pipeline files are what these tests are about
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, writePipeline } from '../helpers/cli.js';
import { listTree } from '../helpers/files.js';
import { cliShimDir, EXAMPLES, examplePythonFiles, python } from '../helpers/python.js';
import { useSimulator } from '../helpers/simulator.js';

const exec = promisify(execFile);

describe('the Python examples compile', () => {
  it('python3 -m py_compile accepts every .py file under examples/', async () => {
    const files = examplePythonFiles();
    expect(files.map((f) => path.relative(EXAMPLES, f))).toEqual([
      'airflow/callscaler_dag.py',
      'callscaler_cli.py',
      'dagster/callscaler_assets.py',
    ]);
    // The bytecode goes to a temp dir, not into examples/__pycache__.
    const prefix = tempDir('cs-pyc-');
    for (const file of files) {
      await expect(
        exec('python3', ['-m', 'py_compile', file], { env: { ...process.env, PYTHONPYCACHEPREFIX: prefix } }),
      ).resolves.toBeDefined();
    }
    expect(fs.existsSync(path.join(EXAMPLES, '__pycache__'))).toBe(false);
  });
});

describe('callscaler_cli: the command lines both examples run', () => {
  it('run_command builds the exact argv; dates come from strings, dates or midnight-UTC datetimes', async () => {
    const out = await python<Record<string, unknown>>(`
import json
from datetime import date, datetime, timezone
import callscaler_cli as c
print(json.dumps({
  "strings": c.run_command("/etc/cs/pipeline.yaml", "client_a", "2026-03-01", "2026-03-02"),
  "dates": c.run_command("p.yaml", "client_b", date(2026, 3, 1), datetime(2026, 4, 1, tzinfo=timezone.utc),
                         executable=["node", "/opt/cs/dist/src/cli/main.js"]),
  "incremental": c.run_command("p.yaml", None, None, None),
  "day_range": c.day_range("2026-02-28"),
  "key_env": c.api_key_env("client_a"),
  "account_env": c.account_env("client_a", "k", ["client_a", "client_b"]),
  "classify": [c.classify(n) for n in (0, 1, 2, 3, 4, 75)],
}))`);
    expect(out).toEqual({
      strings: [
        'callscaler-sync',
        'run',
        '-c',
        '/etc/cs/pipeline.yaml',
        '--account',
        'client_a',
        '--start-date',
        '2026-03-01',
        '--end-date',
        '2026-03-02',
        '--json',
        '--wait',
        '--log-format',
        'json',
      ],
      dates: [
        'node',
        '/opt/cs/dist/src/cli/main.js',
        'run',
        '-c',
        'p.yaml',
        '--account',
        'client_b',
        '--start-date',
        '2026-03-01',
        '--end-date',
        '2026-04-01',
        '--json',
        '--wait',
        '--log-format',
        'json',
      ],
      incremental: ['callscaler-sync', 'run', '-c', 'p.yaml', '--json', '--wait', '--log-format', 'json'],
      day_range: ['2026-02-28', '2026-03-01'],
      key_env: 'CALLSCALER_API_KEY_CLIENT_A',
      account_env: {
        CALLSCALER_API_KEY_CLIENT_A: 'k',
        CALLSCALER_API_KEY_CLIENT_B: 'not-used-by-this-run',
        CALLSCALER_ACCOUNT: 'client_a',
      },
      classify: ['ok', 'fail', 'fail', 'fail', 'fail', 'retry'],
    });
  });

  it('run_command refuses what the CLI would refuse, before anything runs', async () => {
    const errors = await python<string[]>(`
import json
from datetime import datetime, timezone
import callscaler_cli as c
cases = [
  ("p", "client_a", "2026-02-30", "2026-03-01"),
  ("p", "client_a", "2026-03-02", "2026-03-01"),
  ("p", "client_a", "2026-03-01", None),
  ("p", "Client-A", "2026-03-01", "2026-03-02"),
  ("p", "client_a", datetime(2026, 3, 1, 6, tzinfo=timezone.utc), "2026-03-02"),
]
out = []
for case in cases:
  try:
    c.run_command(*case)
    out.append(None)
  except ValueError as e:
    out.append(str(e))
print(json.dumps(out))`);
    expect(errors).toEqual([
      expect.stringMatching(/2026-02-30|day is out of range/),
      'start_date 2026-03-02 must be before end_date 2026-03-01 (the range is [start, end))',
      'start_date and end_date go together',
      "account 'Client-A' is not a source.accounts name (a-z, 0-9, _)",
      '2026-03-01T06:00:00+00:00 is not midnight UTC: the CLI loads whole UTC days',
    ]);
  });
});

/** Builds one partition's command line with callscaler_cli, runs it with callscaler_cli.run, reports back. */
const DRIVER = `
import json, sys
import callscaler_cli as c

class RetryLater(Exception): pass
class Fatal(Exception): pass

p = json.loads(sys.argv[1])
cmd = c.run_command(p["pipeline"], p["account"], p["start"], p["end"])
logs = []
result = c.run(cmd, c.account_env(p["account"], p["key"], p["accounts"]), on_log=logs.append)
exit_code, summary = result
try:
  c.raise_for_outcome(result, retry=RetryLater, fail=Fatal)
  raised = None
except (RetryLater, Fatal) as e:
  raised = [type(e).__name__, str(e)]
print(json.dumps({
  "cmd": cmd, "exit_code": exit_code, "summary": summary, "outcome": result.outcome,
  "retryable": result.retryable, "rows": result.rows(), "raised": raised,
  "levels": sorted({c.log_record(line)[0] for line in logs}),
}))`;

interface DriverOut {
  cmd: string[];
  exit_code: number;
  summary: {
    status: string;
    run_id: string;
    error?: { code: string; message: string };
    streams: { account: string; mode: string; rows: number; rejected: number }[];
  } | null;
  outcome: string;
  retryable: boolean;
  rows: number;
  raised: [string, string] | null;
  levels: string[];
}

const ACCOUNTS = ['client_a', 'client_b'];
const RANGE = { start: '2026-09-01', end: '2026-09-08' };

/** A pipeline with two accounts, each key from its own variable (both the simulator's key in these tests). */
function accountsPipeline(dir: string, sourceExtra = ''): string {
  fs.mkdirSync(dir, { recursive: true });
  return writePipeline(
    dir,
    `version: 1
name: examples
source:
  base_url: \${CALLSCALER_BASE_URL}
  accounts:
    - name: client_a
      api_key: \${CALLSCALER_API_KEY_CLIENT_A}
    - name: client_b
      api_key: \${CALLSCALER_API_KEY_CLIENT_B}
${sourceExtra}
streams:
  calls:
    extract: list
destination:
  type: parquet
  dir: ./dataset
`,
  );
}

describe('callscaler_cli.run: the command lines run against the simulator', () => {
  const f = useSimulator({ size: 600 });
  const shim = cliShimDir();
  const drive = (pipeline: string, account: string, key: string) =>
    python<DriverOut>(
      DRIVER,
      { pipeline, account, key, accounts: ACCOUNTS, ...RANGE },
      { PATH: `${shim}:${process.env.PATH ?? ''}`, CALLSCALER_BASE_URL: f.sim.url },
    );
  const inRange = () =>
    f.sim.calls().filter((c) => c.created_at >= RANGE.start && c.created_at < RANGE.end).length;

  it('exit 0: each account of source.accounts loads its range; the summary is parsed; the key is in no argv', async () => {
    const pipeline = accountsPipeline(f.path('ok'));
    for (const account of ACCOUNTS) {
      const out = await drive(pipeline, account, f.sim.apiKey);
      expect(out.cmd[0]).toBe('callscaler-sync');
      expect(out.cmd).not.toContain(f.sim.apiKey);
      expect(out).toMatchObject({ exit_code: 0, outcome: 'ok', retryable: false, raised: null });
      expect(out.summary).toMatchObject({ status: 'succeeded' });
      expect(out.summary?.streams).toEqual([
        expect.objectContaining({ account, mode: 'range', rows: inRange(), rejected: 0 }),
      ]);
      expect(out.rows).toBeGreaterThan(0);
      expect(out.rows).toBe(inRange());
      expect(out.levels).toContain('info');
      expect(JSON.stringify(out)).not.toContain(f.sim.apiKey);
    }
    const files = await listTree(path.join(f.path('ok'), 'dataset', 'calls'));
    expect(new Set(files.map((p) => p.split('/')[0]))).toEqual(
      new Set(['account=client_a', 'account=client_b']),
    );
  });

  it('exit 75 (the API keeps answering 503) is retryable', async () => {
    const pipeline = accountsPipeline(f.path('down'), '  max_retries: 0');
    f.sim.setFaults({
      failAtRequests: Array.from({ length: 200 }, (_, i) => f.sim.requestCount + i + 1),
      failStatus: 503,
    });
    try {
      const out = await drive(pipeline, 'client_a', f.sim.apiKey);
      expect(out).toMatchObject({ exit_code: 75, outcome: 'retry', retryable: true });
      expect(out.summary).toMatchObject({ status: 'failed', error: { code: 'CS_HTTP_RETRIES' } });
      expect(out.raised?.[0]).toBe('RetryLater');
      expect(out.raised?.[1]).toMatch(/^exit 75: \[CS_HTTP_RETRIES\] /);
    } finally {
      f.sim.resetFaults();
    }
  });

  it('exit 3 (a refused key) is not retryable', async () => {
    const pipeline = accountsPipeline(f.path('auth'));
    const out = await drive(pipeline, 'client_b', 'cs_key_WRONG_0123456789');
    expect(out).toMatchObject({ exit_code: 3, outcome: 'fail', retryable: false });
    expect(out.summary).toMatchObject({ status: 'failed', error: { code: 'CS_AUTH' } });
    expect(out.raised?.[0]).toBe('Fatal');
    expect(out.raised?.[1]).toMatch(/^exit 3: \[CS_AUTH\] .*authentication failed/);
    expect(JSON.stringify(out)).not.toContain('cs_key_WRONG_0123456789');
  });

  it('exit 2 (an account the file does not list) is not retryable, and says why', async () => {
    const pipeline = accountsPipeline(f.path('cfg'));
    const out = await python<DriverOut>(
      DRIVER,
      { pipeline, account: 'client_c', key: f.sim.apiKey, accounts: ACCOUNTS, ...RANGE },
      { PATH: `${shim}:${process.env.PATH ?? ''}`, CALLSCALER_BASE_URL: f.sim.url },
    );
    expect(out).toMatchObject({ exit_code: 2, outcome: 'fail', retryable: false });
    expect(out.raised?.[0]).toBe('Fatal');
    expect(out.raised?.[1]).toMatch(/account client_c is not configured/);
  });

  it('run() stops the child when the orchestrator gives up on it (here: a timeout while --wait waits)', async () => {
    const pipeline = accountsPipeline(f.path('stop'));
    const dataset = path.join(f.path('stop'), 'dataset');
    fs.mkdirSync(dataset, { recursive: true });
    // The dataset is held by this (live) process, so the run waits for it until it is stopped.
    fs.writeFileSync(
      path.join(dataset, '.lock'),
      JSON.stringify({
        pid: process.pid,
        hostname: os.hostname(),
        started_at: new Date().toISOString(),
        token: 't',
      }),
    );
    const out = await python<{ raised: string; left: string[] }>(
      `
import json, os, subprocess, sys
import callscaler_cli as c
p = json.loads(sys.argv[1])
cmd = c.run_command(p["pipeline"], "client_a", "2026-09-01", "2026-09-08")
try:
  c.run(cmd, c.account_env("client_a", p["key"], ["client_a", "client_b"]), on_log=lambda line: None,
        timeout=1, stop_grace_seconds=2)
  raised = None
except subprocess.TimeoutExpired:
  raised = "TimeoutExpired"
left = []
for pid in set(filter(str.isdigit, os.listdir("/proc"))) - {str(os.getpid())}:  # argv[1] names the file too
  try:
    with open(f"/proc/{pid}/cmdline", "rb") as f:
      if p["pipeline"].encode() in f.read():
        left.append(pid)
  except OSError:
    pass
print(json.dumps({"raised": raised, "left": left}))`,
      { pipeline, key: f.sim.apiKey },
      { PATH: `${shim}:${process.env.PATH ?? ''}`, CALLSCALER_BASE_URL: f.sim.url },
    );
    expect(out).toEqual({ raised: 'TimeoutExpired', left: [] });
  });

  it("the examples' own pipeline.yaml validates and reaches the API with check", async () => {
    const r = await runCli(['check', '-c', path.join(EXAMPLES, 'pipeline.yaml')], {
      env: {
        CALLSCALER_BASE_URL: f.sim.url,
        CALLSCALER_API_KEY_CLIENT_A: f.sim.apiKey,
        CALLSCALER_API_KEY_CLIENT_B: f.sim.apiKey,
        CALLSCALER_DATA_DIR: tempDir(),
      },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
