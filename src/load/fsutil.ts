import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LoadError } from '../errors.js';

/** A path from config: no NUL, resolved against the working directory. */
export function resolvePath(p: string, what: string): string {
  if (typeof p !== 'string' || p.trim() === '') throw new LoadError(`${what}: path is empty`);
  if (p.includes('\0')) throw new LoadError(`${what}: path contains a NUL byte: ${JSON.stringify(p)}`);
  return path.resolve(p);
}

/**
 * One path segment from data or config (a stream, account, run id). Percent-encodes everything but
 * [A-Za-z0-9_-], so the mapping is injective, '.' separators stay unambiguous and '..' cannot escape.
 */
export function fileComponent(s: string, what: string): string {
  if (typeof s !== 'string' || s === '') throw new LoadError(`${what} is empty`);
  return Array.from(new TextEncoder().encode(s), (b) => {
    const ch = String.fromCharCode(b);
    return /[A-Za-z0-9_-]/.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

export function tmpSuffix(): string {
  return `${process.pid}-${randomBytes(4).toString('hex')}`;
}

export async function fsyncFile(file: string): Promise<void> {
  const fh = await fs.open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes a rename durable. Some platforms cannot open a directory for fsync: that is not an error there. */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(dir, 'r');
    await fh.sync();
  } catch (err) {
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF'].includes((err as NodeJS.ErrnoException).code ?? ''))
      throw err;
  } finally {
    await fh?.close();
  }
}

/** write-tmp + fsync + rename + fsync(dir): readers see the old file or the new one, never a torn one. */
export async function atomicWrite(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${tmpSuffix()}`);
  try {
    await fs.mkdir(dir, { recursive: true });
    const fh = await fs.open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, file);
    await fsyncDir(dir);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw new LoadError(`cannot write ${file}: ${(err as Error).message}`, { cause: err });
  }
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
