/**
 * The raw text a rejected record keeps in `_rejected`: enough to see what was wrong, never a whole export.
 * Connectors cap what they keep with it (in characters, or in bytes before decoding: the same number).
 */
export const MAX_RAW_LENGTH = 64 * 1024;

const TRUNCATED = '…(truncated)';

/** `text` cut to MAX_RAW_LENGTH, marked when it was cut; `cut` forces the mark (the caller cut it already). */
export function capRaw(text: string, cut = false): string {
  if (text.length > MAX_RAW_LENGTH) return `${text.slice(0, MAX_RAW_LENGTH)}${TRUNCATED}`;
  return cut ? `${text}${TRUNCATED}` : text;
}

/** A rejected record's raw text: strings as they came, anything else as JSON; capped. */
export function rawText(record: unknown): string {
  return capRaw(typeof record === 'string' ? record : JSON.stringify(record));
}
