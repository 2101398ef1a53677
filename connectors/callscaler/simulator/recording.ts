/**
 * GET /calls/:id/recording: the format and size switches decide the body, the delivery switches how it
 * goes out. Small recordings sent normally are a plain buffered reply (so the truncate/malformed faults
 * treat them like any body); the rest are streamed in pieces: chunked without Content-Length, dripped
 * with a pause between pieces (a client can be killed mid-download), or simply big.
 */
import type { ServerResponse } from 'node:http';
import { type AudioBody, CONTENT_TYPES, formatFor, recordingBody } from './audio.js';
import { drained } from './drain.js';
import type { FaultPlan } from './faults.js';
import type { BodyReply } from './reply.js';
import type { FaultSwitches } from './types.js';

/** Bodies above this are streamed even without the drip or no-length switches. */
const BUFFER_LIMIT = 1 << 20;

export interface AudioReply {
  kind: 'audio';
  status: 200;
  headers: Record<string, string>;
  audio: AudioBody;
  pieceBytes: number;
  delayMs: number;
  /** Send without Content-Length (chunked transfer encoding). */
  noLength: boolean;
}

export function recordingReply(id: string, seconds: number, f: FaultSwitches): AudioReply | BodyReply {
  const format = formatFor(id, f.recordingFormat);
  const audio = recordingBody(id, seconds, format, f.recordingBytes);
  const headers = {
    'content-type': CONTENT_TYPES[format],
    'content-disposition': `attachment; filename="${id}.${format}"`,
  };
  if (!f.recordingNoLength && f.recordingDelayMs === 0 && audio.length <= BUFFER_LIMIT) {
    return { kind: 'body', status: 200, headers, body: audio.slice(0, audio.length) };
  }
  return {
    kind: 'audio',
    status: 200,
    headers,
    audio,
    pieceBytes: f.recordingChunkBytes,
    delayMs: f.recordingDelayMs,
    noLength: f.recordingNoLength,
  };
}

const gone = (res: ServerResponse) => res.destroyed || !res.socket || res.socket.destroyed;

/**
 * Streams `reply` (headers not yet sent). Truncate sends half the body, then destroys the connection;
 * malformed overwrites the first 4 bytes (the magic) with JUNK.
 */
export async function sendAudio(
  res: ServerResponse,
  reply: AudioReply,
  plan: FaultPlan,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  const { audio } = reply;
  const headers: Record<string, string> = { ...reply.headers };
  if (!reply.noLength) headers['content-length'] = String(audio.length);
  res.writeHead(200, headers);
  // A client that goes away mid-pause (killed, timed out) ends the drip now, not after the pause.
  const closed = new Promise<void>((resolve) => res.once('close', resolve));
  const stopAt = plan.truncate ? Math.floor(audio.length / 2) : audio.length;
  for (let at = 0; at < stopAt; at += reply.pieceBytes) {
    if (gone(res)) return;
    const piece = audio.slice(at, Math.min(at + reply.pieceBytes, stopAt));
    if (plan.malformed && at === 0) piece.write('JUNK', 0, 'ascii');
    if (!res.write(piece)) await drained(res);
    if (reply.delayMs > 0 && at + reply.pieceBytes < stopAt)
      await Promise.race([sleep(reply.delayMs), closed]);
  }
  if (gone(res)) return;
  if (plan.truncate) {
    // Destroy only once the half body is on the wire, so the client really sees a cut-off stream.
    res.write(Buffer.alloc(0), () => res.destroy());
    return;
  }
  res.end();
}
