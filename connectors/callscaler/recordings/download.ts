import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { StreamContext } from '../../../src/connector/stream.js';
import { HttpStatusError } from '../../../src/http/errors.js';
import { callPath } from '../api/endpoints.js';

/** What a download ends as: a row of call_recordings. */
export interface RecordingRow {
  readonly call_id: string;
  readonly path: string | null;
  readonly bytes: bigint | null;
  readonly sha256: string | null;
  readonly content_type: string | null;
  readonly status: 'downloaded' | 'not_found' | 'too_large';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const EXTENSIONS: Readonly<Record<string, string>> = {
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/wav': 'wav',
  'audio/wave': 'wav',
  'audio/x-wav': 'wav',
  'audio/vnd.wave': 'wav',
  'audio/ogg': 'ogg',
  'audio/opus': 'opus',
  'audio/webm': 'webm',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/aac': 'aac',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
};

/** The file extension for a Content-Type (parameters ignored); `bin` for a type not known as audio. */
export function extensionFor(contentType: string | null): string {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return EXTENSIONS[type] ?? 'bin';
}

/**
 * Downloads one call's recording into `<dir>/<call_date>/<id>.<ext>`: streamed into a temp file beside it
 * (a dot-file, so never mistaken for a recording), fsynced, renamed. A 404 is `not_found`; past `maxBytes`
 * the transfer stops and nothing is kept (`too_large`). File names come only from a validated UUID and date.
 */
export async function downloadRecording(
  ctx: StreamContext,
  o: { dir: string; id: string; callDate: string; maxBytes: number },
): Promise<RecordingRow> {
  if (!UUID.test(o.id)) throw new TypeError(`not a call id: ${JSON.stringify(o.id.slice(0, 80))}`);
  if (!DATE.test(o.callDate))
    throw new TypeError(`not a call date: ${JSON.stringify(o.callDate.slice(0, 20))}`);
  const id = o.id.toLowerCase();
  const dayDir = path.join(o.dir, o.callDate);
  await removeLeftovers(dayDir, id);
  let res: Awaited<ReturnType<typeof ctx.http.getStream>>;
  try {
    res = await ctx.http.getStream(callPath(id, 'recording'), undefined, ctx.signal);
  } catch (err) {
    if (err instanceof HttpStatusError && err.status === 404) return none(id, 'not_found', null, null);
    throw err;
  }
  const contentType = headerValue(res.headers['content-type']);
  const declared = Number(headerValue(res.headers['content-length']) ?? Number.NaN);
  if (declared > o.maxBytes) {
    res.body.destroy();
    return none(id, 'too_large', contentType, declared);
  }
  const name = `${id}.${extensionFor(contentType)}`;
  await fs.mkdir(dayDir, { recursive: true });
  const tmp = path.join(dayDir, `.${name}.part-${process.pid}-${randomBytes(4).toString('hex')}`);
  const hash = createHash('sha256');
  let bytes = 0;
  const fh = await fs.open(tmp, 'w');
  let kept = false;
  try {
    for await (const chunk of res.body) {
      bytes += chunk.byteLength;
      if (bytes > o.maxBytes) {
        res.body.destroy();
        return none(id, 'too_large', contentType, bytes);
      }
      hash.update(chunk);
      await fh.write(chunk);
    }
    await fh.sync();
    kept = true;
  } finally {
    await fh.close();
    if (!kept) await fs.rm(tmp, { force: true });
  }
  await fs.rename(tmp, path.join(dayDir, name));
  await syncDir(dayDir);
  return {
    call_id: id,
    path: `${o.callDate}/${name}`,
    bytes: BigInt(bytes),
    sha256: hash.digest('hex'),
    content_type: contentType,
    status: 'downloaded',
  };
}

function none(
  id: string,
  status: 'not_found' | 'too_large',
  contentType: string | null,
  bytes: number | null,
) {
  return {
    call_id: id,
    path: null,
    bytes: bytes === null || !Number.isFinite(bytes) ? null : BigInt(bytes),
    sha256: null,
    content_type: contentType,
    status,
  };
}

/** Temp files of this call left by a run that was killed mid-download. */
async function removeLeftovers(dayDir: string, id: string): Promise<void> {
  const names = await fs.readdir(dayDir).catch(() => [] as string[]);
  for (const n of names)
    if (n.startsWith(`.${id}.`) && n.includes('.part-')) await fs.rm(path.join(dayDir, n), { force: true });
}

async function syncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r').catch(() => undefined);
  try {
    await fh?.sync();
  } catch {
    // Some filesystems cannot fsync a directory: the rename is then as durable as they make it.
  } finally {
    await fh?.close();
  }
}

function headerValue(v: string | string[] | undefined): string | null {
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined ? null : s;
}
