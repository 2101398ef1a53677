import { type ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBDestination, LockedError, ParquetDestination } from '../../src/load/index.js';

let tmp: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'load-lock-'));
});

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await fs.rm(tmp, { recursive: true, force: true });
});

/** Starts a node process running `script` (ESM); resolves once it prints "ready". */
function startChild(script: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: process.cwd(),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
}

const exited = (c: ChildProcess) =>
  new Promise<void>((r) => (c.exitCode !== null ? r() : c.on('exit', () => r())));

/** Holds a DuckDB file open, as another run would, until stdin closes. */
const holdDuckDB = (file: string) => `
  import { DuckDBInstance } from '@duckdb/node-api';
  const db = await DuckDBInstance.create(${JSON.stringify(file)});
  const conn = await db.connect();
  await conn.run('CREATE TABLE IF NOT EXISTS held (x INT)');
  console.log('ready');
  process.stdin.on('end', () => { conn.closeSync(); db.closeSync(); process.exit(0); });
  process.stdin.resume();
`;

describe('DuckDB lock across processes', () => {
  it('reports the holding process by pid, and with --wait opens once it is gone', async () => {
    const file = path.join(tmp, 'db.duckdb');
    const child = await startChild(holdDuckDB(file));
    const dest = new DuckDBDestination(file);
    const err = await dest.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockedError);
    expect(err).toMatchObject({ code: 'CS_LOCKED', pid: child.pid });
    expect((err as Error).message).toMatch(
      new RegExp(
        `^another run holds ${file} \\(pid ${child.pid}( since [0-9T:.-]+Z)?\\); wait for it or pass --wait$`,
      ),
    );

    const timedOut = await dest.open({ wait: true, waitTimeoutMs: 600 }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(LockedError);
    expect((timedOut as Error).message).toContain('gave up after waiting');

    const waiting = dest.open({ wait: true, waitTimeoutMs: 30_000 });
    child.stdin?.end();
    await waiting;
    await dest.ensureTable({
      name: 't',
      primaryKey: 'id',
      columns: [{ name: 'id', type: 'utf8', origin: 'api', description: 'id' }],
    });
    await dest.close();
    await dest.close(); // idempotent
    // Closing really releases the file: another process can take it now.
    const next = await startChild(holdDuckDB(file));
    next.stdin?.end();
    await exited(next);
    expect(next.exitCode).toBe(0);
  });
});

/** Writes `<dir>/.lock` for `pid`, as a run of that process would have. */
async function writeLock(dir: string, lock: Record<string, unknown>): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, '.lock'), JSON.stringify(lock));
}

const readLock = async (dir: string) => JSON.parse(await fs.readFile(path.join(dir, '.lock'), 'utf8'));

describe('Parquet dataset lock', () => {
  it('takes over a lock whose holder pid is dead on this host', async () => {
    const dir = path.join(tmp, 'ds');
    const gone = spawn(process.execPath, ['-e', '0']);
    await exited(gone);
    await writeLock(dir, {
      pid: gone.pid,
      hostname: os.hostname(),
      started_at: new Date().toISOString(),
      token: 'x',
    });
    const dest = new ParquetDestination(dir);
    await dest.open();
    expect(await readLock(dir)).toMatchObject({ pid: process.pid, hostname: os.hostname() });
    await dest.close();
    await expect(fs.access(path.join(dir, '.lock'))).rejects.toThrow();
  });

  it('takes over a lock whose pid was recycled by a process started after the lock', async () => {
    const dir = path.join(tmp, 'ds');
    const child = await startChild(`console.log('ready'); setInterval(() => {}, 1000);`);
    const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
    await writeLock(dir, { pid: child.pid, hostname: os.hostname(), started_at: anHourAgo, token: 'x' });
    const dest = new ParquetDestination(dir);
    await dest.open();
    expect((await readLock(dir)).pid).toBe(process.pid);
    await dest.close();
  });

  it('takes over an unreadable lock file left long ago, but not a fresh one', async () => {
    const dir = path.join(tmp, 'ds');
    await fs.mkdir(dir, { recursive: true });
    const lock = path.join(dir, '.lock');
    await fs.writeFile(lock, '');
    const dest = new ParquetDestination(dir);
    await expect(dest.open()).rejects.toThrow(`another run holds ${dir} (unknown pid)`);
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(lock, old, old);
    await dest.open();
    expect((await readLock(dir)).pid).toBe(process.pid);
    await dest.close();
  });

  it('refuses a live holder (another process, another host, or this process) and waits for it with --wait', async () => {
    const dir = path.join(tmp, 'ds');
    const lockFile = path.join(dir, '.lock');
    const child = await startChild(`
      import fs from 'node:fs'; import os from 'node:os';
      fs.mkdirSync(${JSON.stringify(dir)}, { recursive: true });
      fs.writeFileSync(${JSON.stringify(lockFile)}, JSON.stringify({ pid: process.pid, hostname: os.hostname(), started_at: new Date().toISOString(), token: 'child' }), { flag: 'wx' });
      console.log('ready');
      process.stdin.on('end', () => { fs.rmSync(${JSON.stringify(lockFile)}); process.exit(0); });
      process.stdin.resume();
    `);
    const dest = new ParquetDestination(dir);
    const err = await dest.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockedError);
    expect(err).toMatchObject({ code: 'CS_LOCKED', pid: child.pid });
    expect((err as Error).message).toContain(
      `another run holds ${dir} (pid ${child.pid} on ${os.hostname()} since `,
    );
    expect((err as Error).message).toContain(
      `wait for it or pass --wait; if no run is active, delete ${lockFile}`,
    );

    const waiting = dest.open({ wait: true, waitTimeoutMs: 30_000 });
    child.stdin?.end();
    await waiting;
    expect((await readLock(dir)).pid).toBe(process.pid);

    // A second destination in this process is refused too, naming this pid.
    const second = new ParquetDestination(dir);
    await expect(second.open()).rejects.toMatchObject({ code: 'CS_LOCKED', pid: process.pid });
    await dest.close();
    await second.open();
    await second.close();

    await writeLock(dir, {
      pid: 1,
      hostname: 'elsewhere.example',
      started_at: new Date().toISOString(),
      token: 'y',
    });
    await expect(dest.open()).rejects.toThrow('(pid 1 on elsewhere.example since');
  });
});
