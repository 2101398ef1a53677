// Vitest setup: worker threads started by the code under test load TypeScript through the test bootstrap.
import { setWorkerBootstrap } from '../../src/workers/pool.js';

setWorkerBootstrap(new URL('./ts-worker-boot.mjs', import.meta.url));
