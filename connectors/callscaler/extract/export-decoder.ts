/**
 * The module that decodes a piece of an export on a worker thread (see export-decode.ts). Named in a file of its
 * own so that the connector can name it without loading the export path (Arrow, phones) on the main thread.
 */
export const EXPORT_DECODER = new URL('./export-decode.js', import.meta.url);
