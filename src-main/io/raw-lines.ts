/**
 * Raw text of rows, by line range, re-read from the file (used for rows rejected by steps, so
 * that the reader never has to keep raw text in memory). Lines end at CRLF, LF or a lone CR,
 * as the reader counts them, and a row over several lines keeps its own line breaks.
 */
import { detach } from '../engine/table';
import { readChunks } from './chunks';
import { createDecoder } from './decode';
import { readBom } from './encoding';
import type { SourceInfo } from './csv-types';

const LF = 10;
const CR = 13;

/**
 * Calls `line(from, to, brk)` for every line that ends in a piece of text or bytes; returns
 * where the unfinished last line starts. A CR at the very end is reported as a lone CR: the
 * caller joins it with an LF at the start of the next piece.
 */
function splitLines(
  len: number,
  find: (code: number, from: number) => number,
  at: (i: number) => number,
  line: (from: number, to: number, brk: string) => void,
  from = 0,
): number {
  let start = from;
  let lf = find(LF, start);
  let cr = find(CR, start);
  for (;;) {
    if (lf !== -1 && lf < start) lf = find(LF, start);
    if (cr !== -1 && cr < start) cr = find(CR, start);
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      const crlf = cr + 1 < len && at(cr + 1) === LF;
      line(start, cr, crlf ? '\r\n' : '\r');
      start = cr + (crlf ? 2 : 1);
    } else if (lf !== -1) {
      line(start, lf, '\n');
      start = lf + 1;
    } else return start;
  }
}

export async function readRawLines(
  info: SourceInfo,
  ranges: { line: number; lineEnd: number }[],
): Promise<Map<number, string>> {
  const wanted = new Map<number, number>();
  for (const r of ranges) wanted.set(r.line, Math.max(r.lineEnd, wanted.get(r.line) ?? 0));
  const out = new Map<number, string>();
  if (wanted.size === 0) return out;
  const bom = (await readBom(info.path))?.bom ?? 0;
  let lineNo = 1;
  let open: { start: number; end: number; text: string } | null = null;
  /** The line break that ended the last line taken into `open` (patched when CR meets LF). */
  let lastBreak = '';
  /** One physical line (without its break) is complete. */
  const take = (text: () => string, brk: string): void => {
    if (open) {
      open.text += lastBreak + text();
      if (lineNo >= open.end) {
        out.set(open.start, detach(open.text));
        open = null;
      }
    } else if (wanted.has(lineNo)) {
      const end = wanted.get(lineNo)!;
      open = { start: lineNo, end, text: text() };
      if (end <= lineNo) {
        out.set(lineNo, detach(open.text));
        open = null;
      }
    }
    lastBreak = brk;
    lineNo++;
  };
  let crAtEnd = false;
  if (info.encoding === 'utf-8' || info.encoding === 'windows-1252') {
    // Line breaks are single bytes here: find them in the bytes and decode only the lines
    // wanted, instead of decoding the whole file a second time.
    const decode = (bytes: Buffer): string => createDecoder(info.encoding).decode(bytes);
    let carry: Buffer[] = [];
    for await (const chunk of readChunks(info.path, { start: bom })) {
      let first = 0;
      if (crAtEnd && chunk[0] === LF) {
        lastBreak = '\r\n';
        first = 1;
      }
      const rest = splitLines(
        chunk.length,
        (code, from) => chunk.indexOf(code, from),
        (i) => chunk[i],
        (from, to, brk) => {
          const piece = chunk.subarray(from, to);
          const parts = carry;
          carry = [];
          take(() => decode(parts.length ? Buffer.concat([...parts, piece]) : piece), brk);
        },
        first,
      );
      crAtEnd = chunk.length > 0 && chunk[chunk.length - 1] === CR;
      // The chunk's memory is reused by the next read: keep a copy of the unfinished line
      // only when it may be needed.
      if (rest < chunk.length && (open || wanted.has(lineNo)))
        carry.push(Buffer.from(chunk.subarray(rest)));
      if (out.size === wanted.size) return out;
    }
    if (carry.length) take(() => decode(Buffer.concat(carry)), '');
    return out;
  }
  const decoder = createDecoder(info.encoding);
  let rest = '';
  for await (const chunk of readChunks(info.path, { start: bom })) {
    let text = rest + decoder.decode(chunk, { stream: true });
    if (crAtEnd && text.charCodeAt(0) === LF) {
      lastBreak = '\r\n';
      text = text.slice(1);
    }
    const stop = splitLines(
      text.length,
      (code, from) => text.indexOf(String.fromCharCode(code), from),
      (i) => text.charCodeAt(i),
      (from, to, brk) => take(() => text.slice(from, to), brk),
    );
    crAtEnd = text.length > 0 && text.charCodeAt(text.length - 1) === CR && stop === text.length;
    rest = text.slice(stop);
    if (out.size === wanted.size) return out;
  }
  rest += decoder.decode();
  if (rest) take(() => rest, '');
  return out;
}
