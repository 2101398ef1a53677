import type { TableSchema } from '../../../src/schema/table.js';

export const RECORDING_STATUSES = ['downloaded', 'not_found', 'too_large'] as const;

/** One row per call with a recording: where its file is, or why there is none. */
export const callRecordingsSchema: TableSchema = {
  name: 'call_recordings',
  description: 'The recording of each call that has one: the downloaded file, or why there is none',
  primaryKey: 'call_id',
  accountColumn: 'account',
  columns: [
    { name: 'account', type: 'utf8', origin: 'meta', description: 'The account the call belongs to' },
    { name: 'call_id', type: 'utf8', origin: 'api', description: 'The call (calls.id)' },
    {
      name: 'path',
      type: 'utf8',
      origin: 'derived',
      description:
        'The file, relative to streams.recordings.dir: <call_date>/<call_id>.<ext>; NULL without a file',
    },
    {
      name: 'bytes',
      type: 'int64',
      origin: 'derived',
      description: 'Size of the file (too_large: bytes seen)',
    },
    { name: 'sha256', type: 'utf8', origin: 'derived', description: 'Lowercase hex SHA-256 of the file' },
    { name: 'content_type', type: 'utf8', origin: 'api', description: 'Content-Type the API sent' },
    {
      name: 'status',
      type: 'utf8',
      origin: 'derived',
      description:
        'downloaded | not_found (the API has none: 404) | too_large (over streams.recordings.max_bytes)',
    },
    {
      name: 'downloaded_at',
      type: 'timestamp',
      origin: 'meta',
      description: 'When this row was written (local clock)',
    },
  ],
};
