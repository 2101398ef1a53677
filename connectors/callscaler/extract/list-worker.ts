/** Worker-thread entry of the list path: decodes pages posted by `extractList` (see list-page.ts). */
import { serveTasks } from '../../../src/workers/serve.js';
import { decodeListPage, type ListPageHead, type ListPageTask } from './list-page.js';

serveTasks((task: ListPageTask, part) => decodeListPage(task, (h: ListPageHead) => part(h)));
