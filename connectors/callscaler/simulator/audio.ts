/**
 * Recordings as real, playable audio: a WAV (RIFF, PCM 16-bit, 8 kHz mono, the telephone format)
 * holding a soft tone whose pitch derives from the call id, at most 5 seconds long.
 */
const SAMPLE_RATE = 8000;
const MAX_SECONDS = 5;

function pitchFor(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return 300 + ((h >>> 0) % 500);
}

export function wavFor(id: string, recordingSeconds: number): Buffer {
  const seconds = Math.max(1, Math.min(MAX_SECONDS, Math.round(recordingSeconds)));
  const samples = SAMPLE_RATE * seconds;
  const dataBytes = samples * 2;
  const buf = Buffer.alloc(44 + dataBytes);
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
  const freq = pitchFor(id);
  const fade = SAMPLE_RATE / 20;
  for (let i = 0; i < samples; i++) {
    // Short fades at both ends avoid clicks.
    const envelope = Math.min(1, i / fade, (samples - 1 - i) / fade);
    const s = Math.round(Math.sin((2 * Math.PI * freq * i) / SAMPLE_RATE) * 8000 * envelope);
    buf.writeInt16LE(s, 44 + i * 2);
  }
  return buf;
}
