import { parseJsonBody } from '../../../src/http/body.js';
import { BodyFormatError } from '../../../src/http/errors.js';

/** What a malformed page's error shows instead of how the body starts, when personal fields are not kept. */
export const PREVIEW_WITHHELD = '(withheld: streams.calls.pii is set)';

/**
 * With personal fields hashed or dropped, an error about a body that is not JSON must not quote how the body
 * starts: the first record's caller number is within its first 100 characters, and the message goes to logs
 * and `_sync_runs`. Other errors pass unchanged.
 */
export function withoutPreview(err: unknown, withhold: boolean): unknown {
  if (!withhold || !(err instanceof BodyFormatError)) return err;
  // The reason is what the message says between the size and the preview (parseJsonBody's own words).
  const suffix = `; body starts: ${JSON.stringify(err.preview)}`;
  const head = err.message.endsWith(suffix) ? err.message.slice(0, -suffix.length) : '';
  const at = head.indexOf(' bytes): ');
  const bytes = err.context.bytes;
  return new BodyFormatError(err.endpoint, {
    reason: at < 0 ? 'not valid JSON' : head.slice(at + ' bytes): '.length),
    byteOffset: err.byteOffset,
    preview: PREVIEW_WITHHELD,
    bytes: typeof bytes === 'number' ? bytes : 0,
  });
}

/** A list response's JSON, parsed as `parseJsonBody` does; see `withoutPreview` for its errors. */
export function parseCallsJson(
  buf: Buffer,
  endpoint: string,
  secrets: readonly string[],
  withholdPreview: boolean,
): unknown {
  try {
    return parseJsonBody(buf, endpoint, secrets);
  } catch (err) {
    throw withoutPreview(err, withholdPreview);
  }
}
