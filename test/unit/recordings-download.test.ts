import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { downloadRecording, extensionFor } from '../../connectors/callscaler/recordings/download.js';
import { tempDir } from '../helpers/cli.js';
import { httpTestKit, reply } from '../helpers/http-server.js';

const ID = '0b1c2d3e-4f50-4617-8899-aabbccddeeff';
const { serve, client } = httpTestKit();

function ctxFor(url: string) {
  const { http } = client(url, { retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2 } });
  return { http, account: 'a', runId: 'r', syncedAtMs: 0, signal: new AbortController().signal };
}

describe('downloadRecording', () => {
  it.each([
    ['audio/mpeg', 'mp3'],
    ['audio/wav; codecs=1', 'wav'],
    ['audio/x-wav', 'wav'],
    ['audio/ogg', 'ogg'],
    ['AUDIO/MP4', 'm4a'],
    ['application/octet-stream', 'bin'],
  ])('names a %s file .%s', (type, ext) => {
    expect(extensionFor(type)).toBe(ext);
  });

  it('streams into <dir>/<date>/<id>.<ext> with the checksum of the bytes, without Content-Length too', async () => {
    const body = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/mpeg' }); // chunked: no Content-Length
      res.write(body.subarray(0, 30_000));
      res.end(body.subarray(30_000));
    });
    const dir = tempDir();
    const row = await downloadRecording(ctxFor(srv.url), {
      dir,
      id: ID.toUpperCase(),
      callDate: '2026-03-01',
      maxBytes: 1e6,
    });
    expect(row).toEqual({
      call_id: ID,
      path: `2026-03-01/${ID}.mp3`,
      bytes: 70_000n,
      sha256: createHash('sha256').update(body).digest('hex'),
      content_type: 'audio/mpeg',
      status: 'downloaded',
    });
    expect(fs.readFileSync(path.join(dir, '2026-03-01', `${ID}.mp3`)).equals(body)).toBe(true);
    expect(fs.readdirSync(path.join(dir, '2026-03-01'))).toEqual([`${ID}.mp3`]);
    expect(srv.hits).toEqual([`GET /api/v1/calls/${ID}/recording`]);
  });

  it('a 404 is not_found, with no file', async () => {
    const srv = await serve((_req, res) => reply(res, 404, { error: { message: 'Call has no recording' } }));
    const dir = tempDir();
    const row = await downloadRecording(ctxFor(srv.url), {
      dir,
      id: ID,
      callDate: '2026-03-01',
      maxBytes: 1e6,
    });
    expect(row).toMatchObject({ status: 'not_found', path: null, sha256: null });
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(srv.hits).toHaveLength(1);
  });

  it('too_large: by Content-Length before reading, or by counting when there is none; nothing is kept', async () => {
    const big = Buffer.alloc(5000, 7);
    const declared = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(big.length) });
      res.end(big);
    });
    const dir = tempDir();
    expect(
      await downloadRecording(ctxFor(declared.url), { dir, id: ID, callDate: '2026-03-01', maxBytes: 4999 }),
    ).toMatchObject({
      status: 'too_large',
      bytes: 5000n,
      path: null,
    });
    const chunked = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/wav' });
      res.write(big.subarray(0, 3000));
      res.end(big.subarray(3000));
    });
    const counted = await downloadRecording(ctxFor(chunked.url), {
      dir,
      id: ID,
      callDate: '2026-03-01',
      maxBytes: 4000,
    });
    expect(counted).toMatchObject({ status: 'too_large', path: null });
    expect(Number(counted.bytes)).toBeGreaterThan(4000);
    expect(fs.readdirSync(path.join(dir, '2026-03-01'))).toEqual([]);
  });

  it('refuses a call id or date that is not one before anything is requested or written', async () => {
    const srv = await serve((_req, res) => reply(res, 200, {}));
    const dir = tempDir();
    await expect(
      downloadRecording(ctxFor(srv.url), {
        dir,
        id: '../../etc/passwd',
        callDate: '2026-03-01',
        maxBytes: 10,
      }),
    ).rejects.toThrow(/not a call id/);
    await expect(
      downloadRecording(ctxFor(srv.url), { dir, id: ID, callDate: '../x', maxBytes: 10 }),
    ).rejects.toThrow(/not a call date/);
    expect(srv.hits).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('removes what a killed run left of this call before downloading it again', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/ogg', 'content-length': '3' });
      res.end('abc');
    });
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, '2026-03-01'));
    fs.writeFileSync(path.join(dir, '2026-03-01', `.${ID}.ogg.part-123-deadbeef`), 'half');
    await downloadRecording(ctxFor(srv.url), { dir, id: ID, callDate: '2026-03-01', maxBytes: 10 });
    expect(fs.readdirSync(path.join(dir, '2026-03-01'))).toEqual([`${ID}.ogg`]);
  });
});
