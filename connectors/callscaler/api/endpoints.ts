/** CallScaler Calls API paths, relative to the base URL (https://callscaler.com/api/v1). */
export const CALLS_PATH = '/calls';
export const EXPORT_PATH = '/calls/export';
export const BATCH_PATH = '/calls/batch';
export const MAX_PAGE_SIZE = 500;
export const MAX_BATCH_IDS = 100;

const UUIDISH = /^[A-Za-z0-9-]{1,64}$/;

/** Call ids come from data: validate before they go into a path. */
export function callPath(id: string, sub?: 'recording' | 'transcription'): string {
  if (!UUIDISH.test(id)) throw new Error(`not a call id: ${JSON.stringify(id.slice(0, 80))}`);
  return sub ? `${CALLS_PATH}/${id}/${sub}` : `${CALLS_PATH}/${id}`;
}
