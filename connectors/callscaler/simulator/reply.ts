/**
 * Replies are values until the last moment, so the fault layer can still corrupt, cut or delay them:
 * a buffered body (JSON, small recordings), the streamed CSV export or a streamed recording.
 */
import type { ServerResponse } from 'node:http';
import { streamCsv } from './csv.js';
import type { FaultPlan } from './faults.js';
import type { CallRecord, Include } from './record.js';
import { type AudioReply, sendAudio } from './recording.js';
import type { CsvVariant } from './types.js';

export interface BodyReply {
  kind: 'body';
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface CsvReply {
  kind: 'csv';
  status: 200;
  rows: readonly CallRecord[];
  include: Include;
  /** The API root recording_url points into. */
  apiBase: string;
}

export type Reply = BodyReply | CsvReply | AudioReply;

const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): BodyReply {
  return {
    kind: 'body',
    status,
    headers: { 'content-type': JSON_TYPE, ...headers },
    body: Buffer.from(JSON.stringify(value), 'utf8'),
  };
}

export function errorReply(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): BodyReply {
  return jsonReply(status, { error: { code, message } }, headers);
}

/**
 * A complete 200 whose body is garbage: JSON cut in half plus junk (so it cannot parse), other bodies
 * (audio) with their magic bytes overwritten. Content-Length stays correct.
 */
function malform(body: Buffer, isJson: boolean): Buffer {
  if (!isJson) {
    const copy = Buffer.from(body);
    copy.write('JUNK', 0, 'ascii');
    return copy;
  }
  const cut = body.subarray(0, Math.max(1, Math.floor(body.length / 2)));
  return Buffer.concat([cut, Buffer.from('<<not json', 'utf8')]);
}

export interface DeliverOptions {
  date: string;
  plan: FaultPlan;
  csv: CsvVariant;
  /** Pauses between dripped pieces; the server's sleep, which its close() cuts short. */
  sleep?: (ms: number) => Promise<void>;
}

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends `reply`, applying the truncate/malformed faults of the plan. */
export async function deliver(res: ServerResponse, reply: Reply, opts: DeliverOptions): Promise<void> {
  if (res.destroyed) return;
  res.setHeader('date', opts.date);
  if (reply.kind === 'csv') {
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="calls.csv"',
    });
    await streamCsv(
      res,
      reply.rows,
      reply.include,
      opts.csv,
      { truncate: opts.plan.truncate, malformed: opts.plan.malformed },
      reply.apiBase,
    );
    return;
  }
  if (reply.kind === 'audio') {
    await sendAudio(res, reply, opts.plan, opts.sleep ?? timer);
    return;
  }
  const isJson = reply.headers['content-type'] === JSON_TYPE;
  const body = opts.plan.malformed && reply.status === 200 ? malform(reply.body, isJson) : reply.body;
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) });
  if (opts.plan.truncate) {
    // Headers promise the full length; half arrives, then the connection dies.
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
    return;
  }
  res.end(body);
}
