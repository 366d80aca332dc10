/**
 * Rows as the CSV reader finds them, before any cell is cut: one text (or the bytes it decodes
 * from) and, for every cell, where it starts and ends in it. Cutting the cells (`cells`) is the
 * only per-cell allocation of reading, and it can happen on another thread than the scanning:
 * a raw batch is plain typed arrays and one string or byte array.
 */
import type { Batch, Field, TextColumn } from '../engine/table';
import { decodeBytes } from './decode';

export interface RawBatch {
  /** The text the offsets point into; null until `bytes` are decoded. */
  text: string | null;
  /** The bytes of the rows, when they were found in bytes (csv-bytes.ts). */
  bytes?: Uint8Array;
  /** How to decode `bytes`: 'ascii' when every byte is below 128. */
  encoding?: 'ascii' | 'utf-8' | 'windows-1252';
  /** Rows. */
  length: number;
  /** Columns per row. */
  width: number;
  /**
   * Per cell (row * width + column): where its text starts and ends. A cell that holds doubled
   * quotes has its end stored as ~end (negative), to be unescaped when cut.
   */
  start: Int32Array;
  end: Int32Array;
  /** Per cell, when known: its length if it has printable ASCII at both ends (TextColumn.plain). */
  plain?: Uint8Array;
  /**
   * With `bytes`: where each row's first cell starts in them (its `start` is the same place
   * in characters), so that the bytes can be decoded a few rows at a time.
   */
  rowByte?: Int32Array;
  /**
   * With `bytes` from a file that is not compressed: where some of the rows start in it, as
   * (line, byte offset) pairs (raw-lines.ts's LineMarks), to read rejected rows' lines again.
   */
  marks?: number[];
  /** Physical lines where each row starts and ends (1-based). */
  line: Int32Array;
  lineEnd: Int32Array;
}

/**
 * Bytes decoded as one string at most: a longer string is a large object to V8, allocated and
 * freed page by page, which made decoding a batch's 150 KB cost ten times what smaller pieces
 * do.
 */
const PIECE_BYTES = 60_000;

/** Cuts the cells of a raw batch into a text batch. */
export function cells(raw: RawBatch, fields: Field[], quote: string): Batch {
  const { length: n, width } = raw;
  const values: (string | null)[][] = [];
  for (let c = 0; c < width; c++) values.push(new Array<string | null>(n));
  const { bytes, rowByte } = raw;
  if (raw.text !== null || !bytes || !rowByte) {
    const text = raw.text ?? decodeBytes(raw.bytes!, raw.encoding ?? 'utf-8');
    cut(raw, text, 0, 0, n, values, quote);
  } else {
    // A few rows at a time, each piece starting at a row's first cell (a character boundary).
    for (let from = 0; from < n;) {
      const at = rowByte[from];
      let to = from + 1;
      while (to < n && rowByte[to] - at <= PIECE_BYTES) to++;
      const stop = to < n ? rowByte[to] : bytes.length;
      const text = decodeBytes(bytes.subarray(at, stop), raw.encoding ?? 'utf-8');
      cut(raw, text, raw.start[from * width], from, to, values, quote);
      from = to;
    }
  }
  const columns: TextColumn[] = [];
  for (let c = 0; c < width; c++) {
    const col: TextColumn = { kind: 'text', values: values[c] };
    if (raw.plain) {
      const plain = new Uint8Array(n);
      for (let i = 0, k = c; i < n; i++, k += width) plain[i] = raw.plain[k];
      col.plain = plain;
    }
    columns.push(col);
  }
  return { fields, columns, length: n, line: raw.line, lineEnd: raw.lineEnd };
}

/** The cells of rows [from, to) out of `text`, which starts at character `base` of the batch. */
function cut(
  raw: RawBatch,
  text: string,
  base: number,
  from: number,
  to: number,
  values: (string | null)[][],
  quote: string,
): void {
  const { width, start, end } = raw;
  const qq = quote + quote;
  for (let c = 0; c < width; c++) {
    const out = values[c];
    for (let i = from, k = from * width + c; i < to; i++, k += width) {
      const e = end[k];
      out[i] =
        e >= 0
          ? text.slice(start[k] - base, e - base)
          : text.slice(start[k] - base, ~e - base).replaceAll(qq, quote);
    }
  }
}
