// Worker entry when running from TypeScript sources (the tests): registers tsx, then loads the real module.
// Built code never uses it; a `.js` worker module is loaded directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
