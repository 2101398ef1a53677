/**
 * Bytes whose ArrayBuffer is theirs alone, so it can be transferred to another thread instead of copied:
 * `u8` itself when it spans its whole buffer, else a copy (a Buffer from Node's pool shares its buffer).
 */
export function transferable(u8: Uint8Array): Uint8Array<ArrayBuffer> {
  if (u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength && u8.buffer instanceof ArrayBuffer)
    return u8 as Uint8Array<ArrayBuffer>;
  return new Uint8Array(u8);
}
