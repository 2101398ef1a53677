/** Worker-thread entry of the list path: decodes pages posted by `extractList` (see list-page.ts). */
import { serveTasks } from '../../../src/workers/serve.js';
import { decodeListPage } from './list-page.js';

serveTasks(decodeListPage);
