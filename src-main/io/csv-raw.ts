/**
 * Rows as the CSV reader finds them, before any cell is cut: one text (or the bytes it decodes
 * from) and, for every cell, where it starts and ends in it. Cutting the cells (`cells`) is the
 * only per-cell allocation of reading, and it can happen on another thread than the scanning:
 * a raw batch is plain typed arrays and one string or byte array.
 */
import { numColumn, type Batch, type Column, type Field, type NumColumn } from '../engine/table';
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

/**
 * Cuts the cells of a raw batch into a text batch. `ints`: columns to give as numbers instead,
 * in a batch of ASCII bytes where every cell of theirs is plain digits (intColumn); the caller
 * knows its steps would make those numbers of them (orchestrator/read-ahead-ints.ts).
 */
export function cells(raw: RawBatch, fields: Field[], quote: string, ints?: boolean[]): Batch {
  const { length: n, width } = raw;
  const numbers: (NumColumn | null)[] = [];
  for (let c = 0; c < width; c++) numbers.push(ints?.[c] ? intColumn(raw, c) : null);
  // Null for a column given as numbers: its cells are not cut.
  const values: ((string | null)[] | null)[] = [];
  for (let c = 0; c < width; c++) values.push(numbers[c] ? null : new Array<string | null>(n));
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
  const columns: Column[] = [];
  for (let c = 0; c < width; c++) {
    const num = numbers[c];
    if (num) {
      columns.push(num);
      continue;
    }
    const col: Column = { kind: 'text', values: values[c]! };
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
  values: ((string | null)[] | null)[],
  quote: string,
): void {
  const { width, start, end } = raw;
  const qq = quote + quote;
  for (let c = 0; c < width; c++) {
    const out = values[c];
    if (out === null) continue;
    for (let i = from, k = from * width + c; i < to; i++, k += width) {
      const e = end[k];
      out[i] =
        e >= 0
          ? text.slice(start[k] - base, e - base)
          : text.slice(start[k] - base, ~e - base).replaceAll(qq, quote);
    }
  }
}

/**
 * Column c of a batch of ASCII bytes as whole numbers, when every cell of it is plain digits:
 * no sign, no leading zero ("0" itself is one), at most 15 of them, nothing around them (what
 * cast's plainInt reads, from a cell trim leaves as it is); else null, and it is cut as text.
 */
export function intColumn(raw: RawBatch, c: number): NumColumn | null {
  const { bytes, start, end, width, length: n } = raw;
  if (raw.text !== null || !bytes || raw.encoding !== 'ascii') return null;
  // Read into a scratch array first: a column that does not qualify (one empty cell in the
  // batch, as a quantity often has) leaves no arrays behind for the collector.
  if (scratch.length < n) scratch = new Float64Array(n);
  for (let i = 0, k = c; i < n; i++, k += width) {
    const s = start[k];
    const e = end[k];
    if (e <= s || e - s > 15 || (bytes[s] === 48 && e - s > 1)) return null;
    let v = 0;
    for (let p = s; p < e; p++) {
      const d = bytes[p] - 48;
      if (d < 0 || d > 9) return null;
      v = v * 10 + d;
    }
    scratch[i] = v;
  }
  const out = numColumn(n);
  out.values.set(scratch.subarray(0, n));
  out.valid.fill(1);
  return out;
}

let scratch = new Float64Array(0);
