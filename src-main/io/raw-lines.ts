/**
 * Raw text of rows, by line range, re-read from the file (used for rows rejected by steps, so
 * that the reader never has to keep raw text in memory). Lines end at CRLF, LF or a lone CR,
 * as the reader counts them, and a row over several lines keeps its own line breaks.
 */
import { detach } from '../engine/table';
import { closeSync, openSync, readSync } from 'node:fs';
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

/**
 * Where some rows start in the file, as the byte reader found them (csv-bytes.ts): a flat list
 * of (line, byte offset) pairs in increasing order. With them, the lines of a few rows are read
 * from the nearest mark before each instead of from the start of the file.
 */
export type LineMarks = number[];

/**
 * Bytes read at a time from a mark: a mark's rows (csv-bytes.ts's MARK_EVERY) are a few
 * kilobytes, and every line of what is read is looked at.
 */
const SEEK_BYTES = 1 << 14;

export async function readRawLines(
  info: SourceInfo,
  ranges: { line: number; lineEnd: number }[],
  marks: LineMarks = [],
): Promise<Map<number, string>> {
  const wanted = new Map<number, number>();
  for (const r of ranges) wanted.set(r.line, Math.max(r.lineEnd, wanted.get(r.line) ?? 0));
  const out = new Map<number, string>();
  if (wanted.size === 0) return out;
  const bom = (await readBom(info.path))?.bom ?? 0;
  if (info.encoding === 'utf-8' || info.encoding === 'windows-1252') {
    const take = taker(wanted, out, info.encoding);
    if (marks.length === 0 || info.compression) {
      await take(readChunks(info.path, { start: bom }), 1, () => out.size === wanted.size);
      return out;
    }
    // The wanted rows, grouped by the mark they are read from.
    const groups = new Map<number, number[]>();
    for (const line of wanted.keys()) {
      const m = markBefore(marks, line);
      const g = groups.get(m);
      if (g) g.push(line);
      else groups.set(m, [line]);
    }
    // Read synchronously: a few hundred small reads, each of which would cost more as a trip
    // to the thread pool than as the read itself.
    const fd = openSync(info.path, 'r');
    try {
      for (const [m, lines] of groups) {
        const from = m < 0 ? { line: 1, byte: bom } : { line: marks[m], byte: marks[m + 1] };
        await take(chunksFrom(fd, from.byte), from.line, () => lines.every((l) => out.has(l)));
      }
    } finally {
      closeSync(fd);
    }
    return out;
  }
  const lines = new LineTaker(wanted, out, 1);
  let crAtEnd = false;
  const decoder = createDecoder(info.encoding);
  let rest = '';
  for await (const chunk of readChunks(info.path, { start: bom })) {
    let text = rest + decoder.decode(chunk, { stream: true });
    if (crAtEnd && text.charCodeAt(0) === LF) {
      lines.lastBreak = '\r\n';
      text = text.slice(1);
    }
    const stop = splitLines(
      text.length,
      (code, from) => text.indexOf(String.fromCharCode(code), from),
      (i) => text.charCodeAt(i),
      (from, to, brk) => lines.take(() => text.slice(from, to), brk),
    );
    crAtEnd = text.length > 0 && text.charCodeAt(text.length - 1) === CR && stop === text.length;
    rest = text.slice(stop);
    if (out.size === wanted.size) return out;
  }
  rest += decoder.decode();
  if (rest) lines.take(() => rest, '');
  return out;
}

/** The index in `marks` of the last mark at or before `line`; -1 when there is none. */
function markBefore(marks: LineMarks, line: number): number {
  let lo = 0;
  let hi = marks.length / 2 - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (marks[2 * mid] <= line) {
      found = 2 * mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The file's bytes from `start` on, a little at a time. */
function* chunksFrom(fd: number, start: number): Generator<Buffer> {
  const buf = Buffer.allocUnsafe(SEEK_BYTES);
  for (let pos = start; ;) {
    const bytesRead = readSync(fd, buf, 0, SEEK_BYTES, pos);
    if (bytesRead === 0) return;
    pos += bytesRead;
    yield buf.subarray(0, bytesRead);
  }
}

/**
 * Reads lines out of bytes that start at line `firstLine` (the start of a row), into `out`,
 * until `done` (checked after each chunk) or the end. Line breaks are single bytes here: they
 * are found in the bytes, and only the lines wanted are decoded.
 */
function taker(
  wanted: Map<number, number>,
  out: Map<number, string>,
  encoding: SourceInfo['encoding'],
): (
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  firstLine: number,
  done: () => boolean,
) => Promise<void> {
  const decode = (bytes: Buffer): string => createDecoder(encoding).decode(bytes);
  return async (chunks, firstLine, done) => {
    const lines = new LineTaker(wanted, out, firstLine);
    let crAtEnd = false;
    let carry: Buffer[] = [];
    for await (const chunk of chunks) {
      let first = 0;
      if (crAtEnd && chunk[0] === LF) {
        lines.lastBreak = '\r\n';
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
          lines.take(() => decode(parts.length ? Buffer.concat([...parts, piece]) : piece), brk);
        },
        first,
      );
      crAtEnd = chunk.length > 0 && chunk[chunk.length - 1] === CR;
      // The chunk's memory is reused by the next read: keep a copy of the unfinished line
      // only when it may be needed.
      if (rest < chunk.length && lines.pending) carry.push(Buffer.from(chunk.subarray(rest)));
      if (done()) return;
    }
    if (carry.length) lines.take(() => decode(Buffer.concat(carry)), '');
  };
}

/** Takes the wanted lines, whole rows over several lines too, as they come one by one. */
class LineTaker {
  /** The break that ended the last line taken into `open` (patched when CR meets LF). */
  lastBreak = '';
  private open: { start: number; end: number; text: string } | null = null;

  constructor(
    private readonly wanted: Map<number, number>,
    private readonly out: Map<number, string>,
    /** The line that comes next. */
    private lineNo: number,
  ) {}

  /** Whether the line that comes next is wanted (or part of a row being taken). */
  get pending(): boolean {
    return this.open !== null || this.wanted.has(this.lineNo);
  }

  /** One physical line (without its break) is complete. */
  take(text: () => string, brk: string): void {
    const { lineNo } = this;
    if (this.open) {
      this.open.text += this.lastBreak + text();
      if (lineNo >= this.open.end) {
        this.out.set(this.open.start, detach(this.open.text));
        this.open = null;
      }
    } else if (this.wanted.has(lineNo)) {
      const end = this.wanted.get(lineNo)!;
      if (end <= lineNo) this.out.set(lineNo, detach(text()));
      else this.open = { start: lineNo, end, text: text() };
    }
    this.lastBreak = brk;
    this.lineNo++;
  }
}
