import type { z } from 'zod';
import { envInt, filePath, strictObject } from '../../../src/config/fields.js';

/** Default ceiling for one recording: a long call is tens of MB at telephone quality. */
export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;

/** `streams.recordings`: present means on. */
export const recordingsStreamSchema = strictObject({
  dir: filePath().describe(
    'Where recordings are written (<dir>/<call_date>/<call_id>.<ext>), relative to this file.',
  ),
  max_bytes: envInt(1, 2 ** 40)
    .prefault(DEFAULT_MAX_BYTES)
    .describe('A recording larger than this is not kept (status too_large).'),
}).describe('Download the recording of every call that has one (GET /calls/:id/recording).');

export type RecordingsStreamConfig = z.output<typeof recordingsStreamSchema>;
