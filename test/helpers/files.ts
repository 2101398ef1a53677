import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Every file below `dir`, as paths relative to it, sorted: what a directory holds after an operation. */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(path.relative(dir, path.join(e.parentPath, e.name)));
  }
  return out.sort();
}
