import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { TableSchema } from '../../schema/table.js';
import { fileComponent, fsyncDir, tmpSuffix } from '../fsutil.js';
import { accountPart, DATA_FILE, listPartitions } from './layout.js';

/**
 * Moves a shadow's partitions over the live table: each partition file is swapped atomically, but the table
 * as a whole is not — a reader during publish may briefly see some partitions from the new snapshot and some
 * from the old table. Files are hard-linked into place, not moved, so the shadow stays whole until the end
 * and a publish interrupted at any point can simply be run again.
 */
export async function swapInSnapshot(
  schema: TableSchema,
  shadowDir: string,
  liveDir: string,
  account?: string,
): Promise<void> {
  const shadow = await listPartitions(shadowDir, schema);
  const wanted = new Set(shadow.map((p) => p.part));
  // With an account, the snapshot is that account's rows: the other accounts' partitions are not its business.
  const replaced = (part: string) => account === undefined || part.startsWith(accountPart(schema, account));
  const touched = new Set<string>([liveDir]);
  for (const p of shadow) {
    const partDir = path.join(liveDir, ...p.part.split('/'));
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
    if (wanted.has(p.part) || !replaced(p.part)) continue;
    await fs.rm(p.file, { force: true });
    if (p.part) await fs.rmdir(path.dirname(p.file)).catch(() => undefined); // keep dirs holding others' files
  }
  for (const d of touched) await fsyncDir(d);
}

/**
 * Removes a table's shadows after a publish (the published one and those of abandoned runs); with an account,
 * only that account's (their ids start with `<account>__`, see `snapshotIdFor`).
 */
export async function removeShadows(root: string, table: string, account?: string): Promise<void> {
  const prefix = `.snapshot-${account === undefined ? '' : `${fileComponent(account, 'account')}__`}`;
  const entries = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isDirectory() || !e.name.startsWith(prefix)) continue;
    const dir = path.join(root, e.name);
    await fs.rm(path.join(dir, table), { recursive: true, force: true });
    await fs.rmdir(dir).catch(() => undefined); // other tables' shadows may still be in it
  }
}
