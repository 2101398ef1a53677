import { promises as fs } from 'node:fs';
import path from 'node:path';
import { baseStreamSchema, type SourceConfig } from '../../../src/config/schema.js';
import type { ExtractChunk, Stream, StreamContext, Window } from '../../../src/connector/stream.js';
import type { RecordingsStreamConfig } from './config.js';
import { downloadRecording, type RecordingRow } from './download.js';
import { callRecordingsSchema } from './schema.js';

/** Recordings per window: a window's rows commit together. */
const WINDOW_ITEMS = 200;

/**
 * What is left to do for an account: calls with a recording_url and no row yet, downloaded ones (their file
 * is checked, and fetched again only if it is gone or changed size), and too_large ones the current
 * max_bytes would now take. not_found is final: a 404 is not asked again every run.
 */
function workSql(maxBytes: number): string {
  return `SELECT c.id, strftime(c.call_date, '%Y-%m-%d') AS call_date, r.status, r.path, CAST(r.bytes AS VARCHAR) AS bytes
    FROM calls AS c LEFT JOIN call_recordings AS r ON r.account = c.account AND r.call_id = c.id
    WHERE c.account = ? AND c.recording_url IS NOT NULL AND c.call_date IS NOT NULL
      AND (r.call_id IS NULL OR r.status = 'downloaded' OR (r.status = 'too_large' AND r.bytes < ${Math.trunc(maxBytes)}))
    ORDER BY c.call_date, c.id`;
}

/** The recordings stream, bound to its settings: follows up on the calls loaded so far. */
export function recordingsStream(cfg: RecordingsStreamConfig, source: SourceConfig, baseDir: string): Stream {
  const dir = path.resolve(baseDir, cfg.dir);
  return {
    name: 'recordings',
    table: callRecordingsSchema,
    settings: baseStreamSchema.parse({}),
    workList: { sql: workSql(cfg.max_bytes), windowSize: WINDOW_ITEMS },
    probe: async () => ({ serverDate: new Date() }),
    extract: (ctx, window) => downloadWindow(ctx, window, dir, cfg.max_bytes, source.concurrency),
  };
}

async function* downloadWindow(
  ctx: StreamContext,
  window: Window,
  dir: string,
  maxBytes: number,
  concurrency: number,
): AsyncGenerator<ExtractChunk> {
  const items = window.items ?? [];
  const rows: RecordingRow[] = [];
  const counters = { downloaded: 0, already_downloaded: 0, not_found: 0, too_large: 0 };
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item.status === 'downloaded' && (await present(dir, item.path, item.bytes))) {
        counters.already_downloaded++;
        continue;
      }
      const row = await downloadRecording(ctx, {
        dir,
        id: String(item.id),
        callDate: String(item.call_date),
        maxBytes,
      });
      counters[row.status]++;
      rows.push(row);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  // Loaded here, not with the connector: apache-arrow is the heaviest module a command that never syncs
  // recordings (check, schema, query) would otherwise load.
  const { BatchBuilder } = await import('../../../src/arrow/batch-builder.js');
  const builder = new BatchBuilder(callRecordingsSchema);
  const at = Date.now();
  for (const r of rows) {
    builder.append([ctx.account, r.call_id, r.path, r.bytes, r.sha256, r.content_type, r.status, at]);
  }
  const counted = Object.fromEntries(Object.entries(counters).filter(([, n]) => n > 0));
  yield { batch: builder.finish(), rejects: [], received: rows.length, counters: counted };
}

/** A recorded file that is still there, at the size recorded. */
async function present(dir: string, rel: unknown, bytes: unknown): Promise<boolean> {
  if (typeof rel !== 'string' || rel.includes('..')) return false;
  const stat = await fs.stat(path.join(dir, rel)).catch(() => undefined);
  return stat?.isFile() === true && String(stat.size) === String(bytes);
}
