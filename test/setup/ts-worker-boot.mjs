// Worker-thread bootstrap for tests, which run TypeScript sources: registers tsx in the thread, then loads the
// thread's module (`workerData.entry`). Product code names its modules `.js`, as built; here a `.js` that exists
// only as `.ts` source is loaded from the `.ts`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const entry = new URL(workerData.entry);
const file = fileURLToPath(entry);
const source =
  !existsSync(file) && file.endsWith('.js') ? new URL(entry.href.replace(/\.js$/, '.ts')) : entry;
await import(source.href);
