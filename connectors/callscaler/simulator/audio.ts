/**
 * Recording bodies. WAV is real, playable audio (RIFF, PCM 16-bit, 8 kHz mono, the telephone format)
 * holding a soft tone whose pitch derives from the call id, at most 5 seconds long. MP3 and Ogg bodies
 * carry the format's magic bytes and then deterministic noise, about 8 kbit/s of the recording's
 * length: not decodable, but a client treats recordings as opaque bytes anyway. Bodies are produced
 * piece by piece (a head, then a fill repeated), so a forced size of hundreds of MB is never one buffer.
 */
import type { RecordingFormat } from './types.js';

const SAMPLE_RATE = 8000;
const MAX_SECONDS = 5;
const WAV_HEADER_BYTES = 44;
/** A telephone-quality mono MP3/Opus stream: 8 kbit/s. */
const COMPRESSED_BYTES_PER_SECOND = 1000;
const NOISE_BYTES = 4096;

export type AudioFormat = Exclude<RecordingFormat, 'mixed'>;
const FORMATS: readonly AudioFormat[] = ['wav', 'mp3', 'ogg'];

export const CONTENT_TYPES: Readonly<Record<AudioFormat, string>> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
};

/** An ID3v2.4 tag header with no frames; MP3 files usually start with one. */
const MP3_HEAD = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]);
/** "OggS", stream structure version 0, beginning-of-stream flag. */
const OGG_HEAD = Buffer.from([0x4f, 0x67, 0x67, 0x53, 0, 2]);

function hashId(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}

function pitchFor(id: string): number {
  return 300 + (hashId(id) % 500);
}

/** The format a call's recording is served in; 'mixed' spreads the three over the calls by id. */
export function formatFor(id: string, setting: RecordingFormat): AudioFormat {
  return setting === 'mixed' ? FORMATS[hashId(id) % FORMATS.length] : setting;
}

function wavHeader(dataBytes: number): Buffer {
  const buf = Buffer.alloc(WAV_HEADER_BYTES);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16); // fmt chunk size
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(SAMPLE_RATE, 24);
  buf.writeUInt32LE(SAMPLE_RATE * 2, 28); // byte rate
  buf.writeUInt16LE(2, 32); // block align
  buf.writeUInt16LE(16, 34); // bits per sample
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  return buf;
}

function toneSamples(id: string, seconds: number): Buffer {
  const samples = SAMPLE_RATE * seconds;
  const buf = Buffer.alloc(samples * 2);
  const freq = pitchFor(id);
  const fade = SAMPLE_RATE / 20;
  for (let i = 0; i < samples; i++) {
    // Short fades at both ends avoid clicks.
    const envelope = Math.min(1, i / fade, (samples - 1 - i) / fade);
    const s = Math.round(Math.sin((2 * Math.PI * freq * i) / SAMPLE_RATE) * 8000 * envelope);
    buf.writeInt16LE(s, i * 2);
  }
  return buf;
}

function wavSeconds(recordingSeconds: number): number {
  return Math.max(1, Math.min(MAX_SECONDS, Math.round(recordingSeconds)));
}

export function wavFor(id: string, recordingSeconds: number): Buffer {
  const data = toneSamples(id, wavSeconds(recordingSeconds));
  return Buffer.concat([wavHeader(data.length), data]);
}

/** Deterministic bytes from the id (xorshift32), the body of the undecodable formats. */
function noiseFor(id: string): Buffer {
  const buf = Buffer.alloc(NOISE_BYTES);
  let x = hashId(id) || 1;
  for (let i = 0; i < NOISE_BYTES; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf.writeUInt32LE(x >>> 0, i);
  }
  return buf;
}

/** A recording body of known length, read in pieces. */
export interface AudioBody {
  readonly length: number;
  /** Bytes [start, end) of the body (end is clamped to length). */
  slice(start: number, end: number): Buffer;
}

/** `head`, then `fill` repeated, cut at `length`. */
function cyclic(head: Buffer, fill: Buffer, length: number): AudioBody {
  return {
    length,
    slice(start: number, end: number): Buffer {
      const stop = Math.min(end, length);
      const out = Buffer.alloc(Math.max(0, stop - start));
      let pos = start;
      let at = 0;
      while (pos < stop) {
        const copied =
          pos < head.length
            ? head.copy(out, at, pos, Math.min(head.length, stop))
            : fill.copy(
                out,
                at,
                (pos - head.length) % fill.length,
                Math.min(fill.length, ((pos - head.length) % fill.length) + stop - pos),
              );
        pos += copied;
        at += copied;
      }
      return out;
    },
  };
}

/**
 * The recording of call `id` in `format`: by default its natural size (WAV: the capped tone, exactly
 * wavFor; MP3/Ogg: 1000 bytes per recorded second); with `bytes` > 0 exactly that many bytes.
 */
export function recordingBody(
  id: string,
  recordingSeconds: number,
  format: AudioFormat,
  bytes = 0,
): AudioBody {
  if (format === 'wav') {
    const data = toneSamples(id, wavSeconds(recordingSeconds));
    const length = bytes > 0 ? bytes : WAV_HEADER_BYTES + data.length;
    // A forced size keeps the header truthful: the data chunk is the tone repeated to fill it.
    return cyclic(wavHeader(Math.max(0, length - WAV_HEADER_BYTES)), data, length);
  }
  const length = bytes > 0 ? bytes : Math.max(1, Math.round(recordingSeconds)) * COMPRESSED_BYTES_PER_SECOND;
  return cyclic(format === 'mp3' ? MP3_HEAD : OGG_HEAD, noiseFor(id), length);
}
