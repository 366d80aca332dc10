/**
 * Byte-to-text decoders. windows-1252 is decoded here from its table: Node's TextDecoder has
 * decoded it as ISO-8859-1 on some paths (0x9F came out as U+009F instead of Ÿ, which turns
 * "L'HAŸ-LES-ROSES" into "L'HA\u009f-LES-ROSES"). UTF-8 and UTF-16 use TextDecoder.
 */
import type { TextEncoding } from '../../src-shared/vocabulary';

export interface Decoder {
  /** Decodes a chunk; with `stream`, an incomplete character at the end waits for the next. */
  decode(chunk?: Uint8Array, opts?: { stream?: boolean }): string;
}

/** The WHATWG windows-1252 index for bytes 0x80..0x9F (the rest equal their Latin-1 code). */
const HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
  0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
  0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const TABLE = new Uint16Array(256);
for (let b = 0; b < 256; b++) TABLE[b] = b >= 0x80 && b < 0xa0 ? HIGH[b - 0x80] : b;

class Windows1252Decoder implements Decoder {
  decode(chunk?: Uint8Array): string {
    if (!chunk || chunk.length === 0) return '';
    const out = new Uint16Array(chunk.length);
    for (let i = 0; i < chunk.length; i++) out[i] = TABLE[chunk[i]];
    let s = '';
    // fromCharCode takes arguments, so go in slices that stay under the engine's argument limit.
    for (let i = 0; i < out.length; i += 8192)
      s += String.fromCharCode.apply(null, out.subarray(i, i + 8192) as unknown as number[]);
    return s;
  }
}

export function createDecoder(encoding: TextEncoding): Decoder {
  if (encoding === 'windows-1252') return new Windows1252Decoder();
  return new TextDecoder(encoding);
}

/** Decodes the bytes of a batch in its file's encoding. */
export function decodeBytes(
  bytes: Uint8Array,
  encoding: 'ascii' | 'utf-8' | 'windows-1252',
): string {
  if (encoding === 'windows-1252') return new Windows1252Decoder().decode(bytes);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buf.toString(encoding === 'ascii' ? 'latin1' : 'utf8');
}
