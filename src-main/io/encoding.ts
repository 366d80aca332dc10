/**
 * Which text encoding a file uses: a BOM decides (UTF-8, UTF-16LE/BE), then NUL bytes in the
 * pattern of UTF-16 text (LE or BE, without a BOM); otherwise UTF-8 when
 * every byte sequence is valid UTF-8, else windows-1252 — unless the file is mostly valid
 * multi-byte UTF-8 with a few bad bytes, in which case it stays UTF-8 and the rows with bad
 * bytes are rejected by the reader.
 */
import { readChunks } from './chunks';
import { isAscii, isUtf8 } from 'node:buffer';
import type { TextEncoding } from '../../src-shared/vocabulary';

export interface EncodingGuess {
  encoding: TextEncoding;
  /** Length of the byte order mark at the start of the file (0 when none). */
  bom: number;
  reason: string;
  /** Bytes that are not valid in the encoding (only counted for UTF-8). */
  invalidBytes: number;
}

export async function readBom(path: string): Promise<EncodingGuess | null> {
  return bomOf(await readHead(path, 3));
}

/** The first `n` bytes of the file's content (decompressed, for gzip). */
export async function readHead(path: string, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  for await (const chunk of readChunks(path, { size: n })) {
    parts.push(Buffer.from(chunk.subarray(0, n - got)));
    got += Math.min(chunk.length, n - got);
    if (got >= n) break;
  }
  return Buffer.concat(parts);
}

function bomOf(head: Buffer): EncodingGuess | null {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
    return { encoding: 'utf-8', bom: 3, reason: 'UTF-8 byte order mark', invalidBytes: -1 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe)
    return { encoding: 'utf-16le', bom: 2, reason: 'UTF-16LE byte order mark', invalidBytes: 0 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff)
    return { encoding: 'utf-16be', bom: 2, reason: 'UTF-16BE byte order mark', invalidBytes: 0 };
  return null;
}

/** Reads the whole file once (fast: Buffer's native UTF-8 check) and names its encoding. */
export async function detectEncoding(path: string): Promise<EncodingGuess> {
  const bom = await readBom(path);
  if (bom) {
    if (bom.encoding === 'utf-8') bom.invalidBytes = (await scanUtf8(path, bom.bom)).invalid;
    return bom;
  }
  const utf16 = utf16ByNuls(await readHead(path, 4096));
  if (utf16) return utf16;
  const { multi, invalid, firstInvalid } = await scanUtf8(path, 0);
  if (invalid === 0) return { encoding: 'utf-8', bom: 0, reason: 'valid UTF-8', invalidBytes: 0 };
  if (multi > invalid * 4)
    return {
      encoding: 'utf-8',
      bom: 0,
      reason: `UTF-8 with ${invalid} undecodable bytes (first at byte ${firstInvalid}); those rows are rejected`,
      invalidBytes: invalid,
    };
  return {
    encoding: 'windows-1252',
    bom: 0,
    reason: `not valid UTF-8 (first bad byte at ${firstInvalid}); read as windows-1252`,
    invalidBytes: 0,
  };
}

/**
 * UTF-16 without a byte order mark, from where the NUL bytes fall: text in UTF-16 is mostly
 * characters below U+0100 (a CSV's delimiters, digits, line breaks at least), whose high byte
 * is 0, so one byte of each pair is NUL, the odd ones in UTF-16LE and the even ones in BE.
 * Text in UTF-8 or windows-1252 has no NUL bytes at all.
 */
function utf16ByNuls(head: Buffer): EncodingGuess | null {
  const pairs = head.length >> 1;
  if (pairs < 2) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] === 0) even++;
    if (head[i + 1] === 0) odd++;
  }
  const guess = (encoding: TextEncoding, at: string): EncodingGuess => ({
    encoding,
    bom: 0,
    reason: `${encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE'} with no byte order mark (NUL bytes at ${at} positions)`,
    invalidBytes: 0,
  });
  if (odd >= pairs / 4 && even * 8 <= odd) return guess('utf-16le', 'odd');
  if (even >= pairs / 4 && odd * 8 <= even) return guess('utf-16be', 'even');
  return null;
}

/** Counts valid multi-byte sequences and invalid bytes of a file read as UTF-8. */
export async function scanUtf8(
  path: string,
  start: number,
): Promise<{ multi: number; invalid: number; firstInvalid: number }> {
  let carry: Buffer | null = null;
  let multi = 0;
  let invalid = 0;
  let firstInvalid = -1;
  let offset = start;
  for await (const raw of readChunks(path, { start })) {
    let chunk = raw;
    if (carry) chunk = Buffer.concat([carry, chunk]);
    // Hold back an incomplete sequence at the end of the chunk for the next one (a copy:
    // the chunk's memory is reused for the next read).
    const cut = incompleteTail(chunk);
    carry = cut > 0 ? Buffer.from(chunk.subarray(chunk.length - cut)) : null;
    const body = cut > 0 ? chunk.subarray(0, chunk.length - cut) : chunk;
    if (!isUtf8(body)) {
      const c = countUtf8(body);
      if (firstInvalid < 0 && c.firstInvalid >= 0) firstInvalid = offset + c.firstInvalid;
      multi += c.multi;
      invalid += c.invalid;
    } else if (!isAscii(body)) {
      multi += countMultiByteStarts(body);
    }
    offset += body.length;
  }
  if (carry) {
    if (firstInvalid < 0) firstInvalid = offset;
    invalid += carry.length;
  }
  return { multi, invalid, firstInvalid };
}

function incompleteTail(b: Buffer): number {
  // Look back at most 3 bytes for the start of a multi-byte sequence that runs past the end.
  for (let k = 1; k <= Math.min(3, b.length); k++) {
    const c = b[b.length - k];
    if ((c & 0xc0) === 0x80) continue;
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

function countMultiByteStarts(b: Buffer): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) if (b[i] >= 0xc0) n++;
  return n;
}

function countUtf8(b: Buffer): { multi: number; invalid: number; firstInvalid: number } {
  let multi = 0;
  let invalid = 0;
  let firstInvalid = -1;
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    const need =
      c >= 0xf0 && c <= 0xf4
        ? 3
        : c >= 0xe0
          ? c <= 0xef
            ? 2
            : -1
          : c >= 0xc2 && c <= 0xdf
            ? 1
            : -1;
    let ok = need > 0 && i + need < b.length;
    for (let k = 1; ok && k <= need; k++) if ((b[i + k] & 0xc0) !== 0x80) ok = false;
    if (ok) {
      multi++;
      i += need + 1;
    } else {
      invalid++;
      if (firstInvalid < 0) firstInvalid = i;
      i++;
    }
  }
  return { multi, invalid, firstInvalid };
}
