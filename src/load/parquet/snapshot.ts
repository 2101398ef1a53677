import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { TableSchema } from '../../schema/table.js';
import { fsyncDir, tmpSuffix } from '../fsutil.js';
import { DATA_FILE, listPartitions } from './layout.js';

/**
 * Moves a shadow's partitions over the live table: each partition file is swapped atomically, but the table
 * as a whole is not — a reader during publish may briefly see some partitions from the new snapshot and some
 * from the old table. Files are hard-linked into place, not moved, so the shadow stays whole until the end
 * and a publish interrupted at any point can simply be run again.
 */
export async function swapInSnapshot(schema: TableSchema, shadowDir: string, liveDir: string): Promise<void> {
  const shadow = await listPartitions(shadowDir, schema);
  const wanted = new Set(shadow.map((p) => p.part));
  const touched = new Set<string>([liveDir]);
  for (const p of shadow) {
    const partDir = path.join(liveDir, p.part);
    const tmp = path.join(partDir, `.${DATA_FILE}.tmp-${tmpSuffix()}`);
    await fs.mkdir(partDir, { recursive: true });
    try {
      await fs.link(p.file, tmp);
    } catch {
      await fs.copyFile(p.file, tmp); // filesystems without hard links
    }
    await fs.rename(tmp, path.join(partDir, DATA_FILE));
    touched.add(partDir);
  }
  for (const p of await listPartitions(liveDir, schema)) {
    if (wanted.has(p.part)) continue;
    await fs.rm(p.file, { force: true });
    if (p.part) await fs.rmdir(path.dirname(p.file)).catch(() => undefined); // keep dirs holding others' files
  }
  for (const d of touched) await fsyncDir(d);
}

/** Removes a table's shadows: `keep` (after its publish) is included by the caller; others are abandoned runs. */
export async function removeShadows(root: string, table: string, except?: string): Promise<void> {
  const entries = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isDirectory() || !e.name.startsWith('.snapshot-')) continue;
    const dir = path.join(root, e.name);
    if (dir === except) continue;
    await fs.rm(path.join(dir, table), { recursive: true, force: true });
    await fs.rmdir(dir).catch(() => undefined); // other tables' shadows may still be in it
  }
}
