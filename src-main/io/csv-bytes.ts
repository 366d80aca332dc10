/**
 * The fast path of the CSV reader: records are found in the file's bytes, before any text is
 * decoded, and a batch's text is decoded once, as a whole, by whoever cuts its cells. It reads
 * UTF-8 files without invalid bytes and windows-1252 files (their delimiters, quotes and line
 * breaks are single ASCII bytes, which never occur inside another character), and only the
 * plain course of a file: rows, blank lines, the header, rows with the wrong number of fields.
 * At the first record it does not handle (broken quotes, a record too long to keep, a record
 * longer than a few blocks), it says where that record starts, and the text reader
 * (csv-batches.ts), which handles everything, carries on from there: records start after a
 * line break, so decoding can start there too.
 */
import { isAscii } from 'node:buffer';
import type { RawBatch } from './csv-raw';
import type { ReadReject, ReadStats, SourceInfo } from './csv-types';
import { readChunks, SourceChanged, type SourceStamp } from './chunks';
import { decodeBytes } from './decode';
import { cutRows, findStops, rowsRoom } from './csv-stops';
import { SourceError } from './source-error';

/**
 * Rows per line mark (RawBatch.marks): a rejected row's line is read from at most this far. At
 * 32 the marks of 10M rows added 15 MB to the run's peak; at 128, nothing measurable.
 */
const MARK_EVERY = 128;

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** Where the text reader takes over: a record's start in the file, its line, whether the header is still to come. */
export interface Resume {
  offset: number;
  lineNo: number;
  headerPending: boolean;
}

/** Whether the fast path can read this source. */
export function byteReadable(info: SourceInfo, quote: string): boolean {
  const q = quote.charCodeAt(0);
  return (
    quote.length === 1 &&
    q < 128 &&
    ((info.encoding === 'utf-8' && info.invalidBytes === 0) || info.encoding === 'windows-1252')
  );
}

/**
 * The record scanner of csv-scan.ts over bytes: the same records, fields and line breaks, as
 * byte offsets. `next` returns 'other' for what the text scanner reports as broken (the caller
 * hands over to it), and never reports a problem itself.
 *
 * A record's first `width` fields are written straight into the caller's arrays, from index
 * `at`: where each starts and ends, less `base` (an end as ~end when the field holds doubled
 * quotes), and its TextColumn.plain length; `count` says how many fields the record had in all.
 * The reader sets `base` to where its batch's first row starts, so the offsets come out
 * relative to the batch's bytes without a second pass over them.
 *
 * It steps from one delimiter, quote or line break to the next (csv-stops.ts finds them all
 * first), not a byte at a time. The positions it is given are good until the thread looks for
 * another block's: a scanner is used up before the next is made.
 */
export class ByteScanner {
  pos = 0;
  start = 0;
  contentEnd = 0;
  end = 0;
  breaks = 0;
  count = 0;
  cellStart: Int32Array;
  cellEnd: Int32Array;
  cellPlain: Uint8Array;
  at = 0;
  base = 0;
  /** Every delimiter, quote, LF and CR of [0, len), in order, then len. */
  private readonly stops: Int32Array;
  /** The first of `stops` at or after `pos`, or before it (next looks on from there). */
  private stop = 0;

  /** Per row plainRows took: where it starts, and its line breaks inside quotes (pairs). */
  rowInfo: Int32Array = new Int32Array(0);

  /** `maxRows`: room for plainRows to take up to that many rows at a time (0: none). */
  constructor(
    private readonly b: Uint8Array,
    private readonly len: number,
    private readonly eof: boolean,
    private readonly d: number,
    private readonly q: number,
    private readonly width: number,
    private readonly maxRows = 0,
  ) {
    this.cellStart = new Int32Array(width);
    this.cellEnd = new Int32Array(width);
    this.cellPlain = new Uint8Array(width);
    this.stops = findStops(b, len, d, q, true, maxRows > 0 ? rowsRoom(maxRows, width) : 0);
  }

  /**
   * Takes up to `rows` (at most the constructor's maxRows) plain rows from `pos` at once, as
   * `next` would take each (csv-stops.ts cutRows: rows of exactly `width` fields, not blank, of
   * at most `maxRecord` bytes, ended by a line break inside the block); returns how many. Their
   * cells go from `at` on, each row's start and breaks to `rowInfo`; `pos` and `end` are where
   * the next row starts. 0 when the next row is not plain (`next` takes it) or the positions
   * were found in JavaScript.
   */
  plainRows(rows: number, maxRecord: number): number {
    if (this.maxRows === 0 || this.pos >= this.len) return 0;
    const r = cutRows(
      this.stops,
      {
        len: this.len,
        si: this.stop,
        pos: this.pos,
        maxRows: Math.min(rows, this.maxRows),
        width: this.width,
        base: this.base,
        delim: this.d,
        quote: this.q,
        maxRecord,
      },
      { start: this.cellStart, end: this.cellEnd, plain: this.cellPlain, at: this.at },
    );
    if (r === null) return 0;
    this.stop = r.si;
    if (r.rows === 0) return 0;
    this.pos = r.pos;
    this.end = r.pos;
    this.rowInfo = r.info;
    return r.rows;
  }

  next(): 'row' | 'incomplete' | 'other' | null {
    const b = this.b;
    const len = this.len;
    const D = this.d;
    const Q = this.q;
    const width = this.width;
    const at = this.at;
    const base = this.base;
    const stops = this.stops;
    let cur = this.pos;
    if (cur >= len) return null;
    this.start = cur;
    // si: the first stop at or after cur.
    let si = this.stop;
    while (stops[si] < cur) si++;
    let breaks = 0;
    let nf = 0;
    for (;;) {
      if (cur < len && b[cur] === Q) {
        // The quote at cur is stops[si]: look for the closing one among the stops after it.
        const from = cur + 1;
        let k = si + 1;
        let escaped = false;
        let close = -1;
        for (;;) {
          const p = stops[k];
          if (p >= len) break;
          const c = b[p];
          if (c === Q) {
            if (p + 1 >= len) {
              if (!this.eof) return 'incomplete';
              close = p;
              break;
            }
            if (b[p + 1] === Q) {
              escaped = true;
              k += 2;
              continue;
            }
            close = p;
            break;
          }
          if (c === LF || (c === CR && b[p + 1] !== LF)) breaks++;
          k++;
        }
        if (close < 0) return this.eof ? 'other' : 'incomplete';
        if (nf < width) {
          this.cellStart[at + nf] = from - base;
          if (escaped) {
            this.cellEnd[at + nf] = ~(close - base);
            this.cellPlain[at + nf] = 0;
          } else {
            this.cellEnd[at + nf] = close - base;
            this.cellPlain[at + nf] = plainLength(b, from, close);
          }
        }
        nf++;
        let x = close + 1;
        while (x < len) {
          const c = b[x];
          if (c !== SPACE && (c !== TAB || D === TAB)) break;
          x++;
        }
        if (x >= len) return this.eof ? this.row(nf, breaks, len, len, k) : 'incomplete';
        const c = b[x];
        if (c === D) {
          cur = x + 1;
          si = k + 1;
          while (stops[si] < cur) si++;
          continue;
        }
        if (c === LF) return this.row(nf, breaks, x, x + 1, k);
        if (c === CR) {
          if (x + 1 >= len && !this.eof) return 'incomplete';
          return this.row(nf, breaks, x, b[x + 1] === LF ? x + 2 : x + 1, k);
        }
        return 'other';
      }
      // Up to the delimiter or a line break: the next stop that is not a quote.
      let p = stops[si];
      while (p < len && b[p] === Q) p = stops[++si];
      if (nf < width) {
        this.cellStart[at + nf] = cur - base;
        this.cellEnd[at + nf] = p - base;
        this.cellPlain[at + nf] = plainLength(b, cur, p);
      }
      nf++;
      if (p >= len) return this.eof ? this.row(nf, breaks, len, len, si) : 'incomplete';
      si++;
      const c = b[p];
      if (c === D) {
        cur = p + 1;
        continue;
      }
      if (c === LF) return this.row(nf, breaks, p, p + 1, si);
      if (p + 1 >= len && !this.eof) return 'incomplete';
      return this.row(nf, breaks, p, b[p + 1] === LF ? p + 2 : p + 1, si);
    }
  }

  private row(count: number, breaks: number, contentEnd: number, end: number, si: number): 'row' {
    this.count = count;
    this.breaks = breaks;
    this.contentEnd = contentEnd;
    this.end = end;
    this.pos = end;
    this.stop = si;
    return 'row';
  }
}

/** TextColumn.plain of bytes [from, to): their length if they start and end with printable ASCII. */
function plainLength(b: Uint8Array, from: number, to: number): number {
  if (to <= from) return 0;
  const a = b[from];
  const z = b[to - 1];
  return a > 32 && a < 127 && z > 32 && z < 127 ? (to - from < 255 ? to - from : 255) : 0;
}

/**
 * Turns byte offsets into character offsets of the decoded UTF-8 text, in place. Offsets come
 * in increasing order (row by row, cell by cell); an escaped end is stored as ~end.
 */
function toCharOffsets(
  bytes: Uint8Array,
  start: Int32Array,
  end: Int32Array,
  plain: Uint8Array,
  cells: number,
): void {
  let at = 0;
  let chars = 0;
  const charAt = (x: number): number => {
    for (; at < x; at++) {
      const c = bytes[at];
      // A character per lead byte; one of four bytes is a surrogate pair, two UTF-16 units.
      if ((c & 0xc0) !== 0x80) chars += c >= 0xf0 ? 2 : 1;
    }
    return chars;
  };
  for (let k = 0; k < cells; k++) {
    start[k] = charAt(start[k]);
    const e = end[k];
    end[k] = e >= 0 ? charAt(e) : ~charAt(~e);
    if (plain[k] !== 0) plain[k] = Math.min(255, end[k] - start[k]);
  }
}

export interface ByteReadOptions {
  info: SourceInfo;
  stats: ReadStats;
  quote: string;
  bomBytes: number;
  stamp: SourceStamp;
  blockBytes: number;
  chunkBytes?: number;
  maxRecordChars: number;
  batchSize: number;
  reject(r: ReadReject): void;
  /** Records longer than this many bytes are left to the text reader. */
  handOverBytes: number;
}

/**
 * Reads the file's records as raw batches of bytes. Returns null at the end of the file, or
 * where the text reader has to take over.
 */
export async function* readByteBatches(
  o: ByteReadOptions,
): AsyncGenerator<RawBatch, Resume | null> {
  const { info, stats, batchSize } = o;
  const ncols = info.columns.length;
  const d = info.delimiter.charCodeAt(0);
  const q = o.quote.charCodeAt(0);
  const encoding = info.encoding === 'windows-1252' ? 'windows-1252' : 'utf-8';
  const decodeRaw = (b: Uint8Array, from: number, to: number): string =>
    decodeBytes(b.subarray(from, to), encoding);

  let work = Buffer.allocUnsafe(Math.max(o.blockBytes * 2, 1 << 16));
  let used = 0;
  let base = o.bomBytes; // where work[0] is in the file's content
  let lineNo = 1;
  let headerPending = info.header;
  let waitFor = o.blockBytes;
  // Offsets in a compressed file's content are no places to read its lines from.
  const compressed = info.compression !== null;

  /** Scans the records at the start of work[0, used); returns how many bytes they take, or a Resume. */
  const round = (eof: boolean, out: RawBatch[]): number | Resume => {
    const s = new ByteScanner(work, used, eof, d, q, ncols, batchSize);
    let line = new Int32Array(batchSize);
    let lineEnd = new Int32Array(batchSize);
    let n = 0;
    let first = -1; // where the batch's first row starts in work
    let marks: number[] = [];
    const fresh = (): void => {
      s.cellStart = new Int32Array(batchSize * ncols);
      s.cellEnd = new Int32Array(batchSize * ncols);
      s.cellPlain = new Uint8Array(batchSize * ncols);
      line = new Int32Array(batchSize);
      lineEnd = new Int32Array(batchSize);
      n = 0;
      first = -1;
      marks = [];
    };
    fresh();
    const flush = (upTo: number): void => {
      const bytes = new Uint8Array(work.subarray(first, upTo)); // its own copy: the batch can travel
      const full = n === batchSize;
      const cells = n * ncols;
      const start = full ? s.cellStart : s.cellStart.slice(0, cells);
      const rowByte = new Int32Array(n);
      const end = full ? s.cellEnd : s.cellEnd.slice(0, cells);
      // The offsets are from the batch's first byte already (the scanner's base).
      for (let i = 0, k = 0; i < n; i++, k += ncols) rowByte[i] = start[k];
      const b: RawBatch = {
        text: null,
        bytes,
        encoding,
        length: n,
        width: ncols,
        start,
        end,
        plain: full ? s.cellPlain : s.cellPlain.slice(0, cells),
        line: full ? line : line.slice(0, n),
        lineEnd: full ? lineEnd : lineEnd.slice(0, n),
        rowByte,
        ...(compressed ? {} : { marks }),
      };
      if (encoding === 'utf-8') {
        if (isAscii(bytes)) b.encoding = 'ascii';
        else toCharOffsets(bytes, b.start, b.end, b.plain!, cells);
      }
      out.push(b);
      fresh();
    };
    /** Takes a row into the batch: where it starts, its first line, its line breaks. */
    const take = (from: number, firstLine: number, breaks: number): void => {
      stats.rowsRead++;
      if (first < 0) first = from;
      if (n % MARK_EVERY === 0) marks.push(firstLine, base + from);
      line[n] = firstLine;
      lineEnd[n] = firstLine + breaks;
      n++;
    };
    for (;;) {
      const at = s.pos;
      s.at = n * ncols;
      // Until the batch has a row, the next record may be its first: offsets from its start.
      if (n === 0) s.base = at;
      // The plain rows that follow, at once; the others (the header first) one at a time.
      const plain = headerPending ? 0 : s.plainRows(batchSize - n, o.maxRecordChars);
      if (plain > 0) {
        const info = s.rowInfo;
        for (let r = 0; r < plain; r++) {
          const breaks = info[2 * r + 1];
          take(info[2 * r], lineNo, breaks);
          lineNo += breaks + 1;
        }
        if (n === batchSize) flush(s.end);
        continue;
      }
      const status = s.next();
      if (status === null || status === 'incomplete') break;
      const { contentEnd, breaks, count } = s;
      const from = s.start;
      if (status === 'other' || contentEnd - from > o.maxRecordChars) {
        if (n > 0) flush(at);
        return { offset: base + from, lineNo, headerPending };
      }
      const firstLine = lineNo;
      lineNo += breaks + (s.end > contentEnd ? 1 : 0);
      if (count === 1 && contentEnd === from) {
        stats.blankLines++;
        continue;
      }
      if (headerPending) {
        headerPending = false;
        continue;
      }
      if (count !== ncols) {
        o.reject({
          line: firstLine,
          lineEnd: firstLine + breaks,
          raw: decodeRaw(work, from, contentEnd),
          rule: 'ragged_row',
          reason: `expected ${ncols} fields, found ${count}`,
        });
        continue;
      }
      take(from, firstLine, breaks);
      if (n === batchSize) flush(s.end);
    }
    if (n > 0) flush(s.pos);
    return s.pos;
  };

  const out: RawBatch[] = [];
  const chunks = readChunks(info.path, {
    start: o.bomBytes,
    size: o.chunkBytes,
    stamp: o.stamp,
    onFileBytes: (b) => (stats.bytesRead = b),
  });
  for await (const chunk of withRowsRead(chunks, stats)) {
    if (used + chunk.length > work.length) {
      const bigger = Buffer.allocUnsafe(Math.max(work.length * 2, used + chunk.length));
      work.copy(bigger, 0, 0, used);
      work = bigger;
    }
    chunk.copy(work, used);
    used += chunk.length;
    if (used < waitFor) continue;
    const r = round(false, out);
    while (out.length) yield out.shift()!;
    if (typeof r !== 'number') return r;
    work.copy(work, 0, r, used);
    used -= r;
    base += r;
    // A record this long is the text reader's: it knows how to follow one too long to keep.
    if (used > o.handOverBytes) return { offset: base, lineNo, headerPending };
    waitFor = Math.max(o.blockBytes, used * 2);
  }
  while (used > 0) {
    const r = round(true, out);
    while (out.length) yield out.shift()!;
    if (typeof r !== 'number') return r;
    work.copy(work, 0, r, used);
    used -= r;
    base += r;
    if (r === 0) break;
  }
  return used > 0 ? { offset: base, lineNo, headerPending } : null;
}

/** Says how many rows were read when the file turns out to have changed under the reader. */
export async function* withRowsRead(
  chunks: AsyncGenerator<Buffer>,
  stats: ReadStats,
): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
  } catch (e) {
    if (e instanceof SourceChanged)
      throw new SourceError(
        `the file changed while it was being read: ${e.what}. The ${stats.rowsRead.toLocaleString('en-US')} rows read so far are not the whole file; read it again once nothing is writing to it`,
        e.path,
      );
    throw e;
  }
}
