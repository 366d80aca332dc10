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
  /** Physical lines where each row starts and ends (1-based). */
  line: Int32Array;
  lineEnd: Int32Array;
}

/** Cuts the cells of a raw batch into a text batch. */
export function cells(raw: RawBatch, fields: Field[], quote: string): Batch {
  const { length: n, width, start, end } = raw;
  const text = raw.text ?? decodeBytes(raw.bytes!, raw.encoding ?? 'utf-8');
  const qq = quote + quote;
  const columns: TextColumn[] = [];
  for (let c = 0; c < width; c++) {
    const values = new Array<string | null>(n);
    for (let i = 0, k = c; i < n; i++, k += width) {
      const e = end[k];
      values[i] = e >= 0 ? text.slice(start[k], e) : text.slice(start[k], ~e).replaceAll(qq, quote);
    }
    const col: TextColumn = { kind: 'text', values };
    if (raw.plain) {
      const plain = new Uint8Array(n);
      for (let i = 0, k = c; i < n; i++, k += width) plain[i] = raw.plain[k];
      col.plain = plain;
    }
    columns.push(col);
  }
  return { fields, columns, length: n, line: raw.line, lineEnd: raw.lineEnd };
}
