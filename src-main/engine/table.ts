/**
 * The columnar batch every step works on. Text lives in plain arrays; numbers, booleans and
 * dates in Float64Arrays with a validity mask, which keeps a million rows well under the memory
 * a row-of-objects layout costs. Dates are days since 1970-01-01, datetimes milliseconds (UTC).
 */
import type { ColumnType } from '../../src-shared/recipe/steps';
import { formatIsoDate, formatIsoDateTime } from './dates';

export type Value = string | number | boolean | null;

export interface TextColumn {
  kind: 'text';
  values: (string | null)[];
  /**
   * What the reader knew of each value without looking at it, when it knew (optional): the
   * value's length (255 for 255 and more) when it is not empty and starts and ends with
   * printable ASCII (so trimming leaves it as it is), else 0. It describes this `values` only:
   * a column with other values never carries it over unchanged.
   */
  plain?: Uint8Array;
}
export interface NumColumn {
  kind: 'num';
  values: Float64Array;
  /** 1 where the value is present, 0 for null. */
  valid: Uint8Array;
}
export type Column = TextColumn | NumColumn;

export interface Field {
  name: string;
  type: ColumnType;
}

export interface Batch {
  fields: Field[];
  columns: Column[];
  length: number;
  /** Physical line in the source where each row starts and ends (1-based). */
  line: Int32Array;
  lineEnd: Int32Array;
}

export function textColumn(values: (string | null)[]): TextColumn {
  return { kind: 'text', values };
}

export function numColumn(length: number): NumColumn {
  return { kind: 'num', values: new Float64Array(length), valid: new Uint8Array(length) };
}

/** The stored value of a cell (numbers, booleans as 0/1, dates as day or ms numbers). */
export function rawValue(col: Column, i: number): string | number | null {
  if (col.kind === 'text') return col.values[i];
  return col.valid[i] ? col.values[i] : null;
}

/** The value of a cell as a JavaScript value of its logical type (booleans as true/false). */
export function cellValue(col: Column, type: ColumnType, i: number): Value {
  const v = rawValue(col, i);
  if (v === null || type !== 'boolean') return v;
  return v !== 0;
}

/** A batch with these columns and no rows: planning reads a side's columns, not its rows. */
export function emptyBatch(fields: Field[]): Batch {
  return {
    fields,
    columns: fields.map((f) => (f.type === 'string' ? textColumn([]) : numColumn(0))),
    length: 0,
    line: new Int32Array(0),
    lineEnd: new Int32Array(0),
  };
}

/** A new batch with only the rows at `idx`, in that order. */
export function take(batch: Batch, idx: ArrayLike<number>): Batch {
  const n = idx.length;
  if (n === batch.length && isIdentity(idx)) return batch;
  const columns = batch.columns.map((c): Column => {
    if (c.kind === 'text') {
      const out = new Array<string | null>(n);
      for (let k = 0; k < n; k++) out[k] = c.values[idx[k]];
      return { kind: 'text', values: out };
    }
    const out = numColumn(n);
    for (let k = 0; k < n; k++) {
      out.values[k] = c.values[idx[k]];
      out.valid[k] = c.valid[idx[k]];
    }
    return out;
  });
  const line = new Int32Array(n);
  const lineEnd = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    line[k] = batch.line[idx[k]];
    lineEnd[k] = batch.lineEnd[idx[k]];
  }
  return { fields: batch.fields, columns, length: n, line, lineEnd };
}

function isIdentity(idx: ArrayLike<number>): boolean {
  for (let k = 0; k < idx.length; k++) if (idx[k] !== k) return false;
  return true;
}

/** Like take, but an index of -1 gives a row of nulls (the missing side of an outer join). */
export function takeOrNull(batch: Batch, idx: ArrayLike<number>): Column[] {
  const n = idx.length;
  return batch.columns.map((c): Column => {
    if (c.kind === 'text') {
      const out = new Array<string | null>(n);
      for (let k = 0; k < n; k++) out[k] = idx[k] < 0 ? null : c.values[idx[k]];
      return { kind: 'text', values: out };
    }
    const out = numColumn(n);
    for (let k = 0; k < n; k++) {
      const j = idx[k];
      if (j < 0) continue;
      out.values[k] = c.values[j];
      out.valid[k] = c.valid[j];
    }
    return out;
  });
}

/** Rows start..end-1 as a batch; typed arrays are shared views, not copies. */
export function sliceRows(batch: Batch, start: number, end: number): Batch {
  if (start === 0 && end === batch.length) return batch;
  return {
    fields: batch.fields,
    columns: batch.columns.map((c): Column =>
      c.kind === 'text'
        ? { kind: 'text', values: c.values.slice(start, end) }
        : {
            kind: 'num',
            values: c.values.subarray(start, end),
            valid: c.valid.subarray(start, end),
          },
    ),
    length: end - start,
    line: batch.line.subarray(start, end),
    lineEnd: batch.lineEnd.subarray(start, end),
  };
}

/** Joins batches with the same fields into one (used by steps that need all rows at once). */
export function concat(batches: Batch[], fields: Field[]): Batch {
  const length = batches.reduce((s, b) => s + b.length, 0);
  const line = new Int32Array(length);
  const lineEnd = new Int32Array(length);
  const columns: Column[] = fields.map((_, ci) => {
    const first = batches[0]?.columns[ci];
    if (!first || first.kind === 'text') {
      const out: (string | null)[] = new Array(length);
      let o = 0;
      for (const b of batches) {
        const vals = (b.columns[ci] as TextColumn).values;
        for (let i = 0; i < b.length; i++) out[o++] = vals[i];
      }
      return { kind: 'text', values: out };
    }
    const out = numColumn(length);
    let o = 0;
    for (const b of batches) {
      const c = b.columns[ci] as NumColumn;
      out.values.set(c.values.subarray(0, b.length), o);
      out.valid.set(c.valid.subarray(0, b.length), o);
      o += b.length;
    }
    return out;
  });
  let o = 0;
  for (const b of batches) {
    line.set(b.line.subarray(0, b.length), o);
    lineEnd.set(b.lineEnd.subarray(0, b.length), o);
    o += b.length;
  }
  return { fields, columns, length, line, lineEnd };
}

/**
 * Copies out one row as a record keyed by column name, for rejects and previews: numbers and
 * booleans as JSON values, dates as ISO 8601 text. A text field may hold whole numbers still to
 * be cast, read from their digits (io/csv-raw.ts intColumn): they are given as those digits.
 */
export function rowRecord(batch: Batch, i: number): Record<string, Value> {
  // No prototype: a column called __proto__ is a key like any other.
  const rec = Object.create(null) as Record<string, Value>;
  batch.fields.forEach((f, ci) => {
    const v = cellValue(batch.columns[ci], f.type, i);
    rec[f.name] =
      typeof v === 'string'
        ? detach(v)
        : typeof v !== 'number'
          ? v
          : f.type === 'date'
            ? formatIsoDate(v)
            : f.type === 'datetime'
              ? formatIsoDateTime(v)
              : f.type === 'string'
                ? String(v)
                : v;
  });
  return rec;
}

/** Builds a text-only batch from rows of strings (tests and small inputs). */
export function batchFromRows(names: string[], rows: (string | null)[][], firstLine = 2): Batch {
  const columns: Column[] = names.map((_, ci) => textColumn(rows.map((r) => r[ci] ?? null)));
  const line = Int32Array.from(rows.map((_, i) => firstLine + i));
  return {
    fields: names.map((name) => ({ name, type: 'string' as const })),
    columns,
    length: rows.length,
    line,
    lineEnd: line.slice(),
  };
}

/**
 * Shares repeated text values between rows (one string per distinct value, up to `cap` of them
 * per column). Steps that must hold every row call this: a column of currency codes then
 * costs a pointer per row instead of a string per row, and the reader's text blocks that the
 * values were cut from can be freed.
 */
export class TextInterner {
  private dicts = new Map<number, Map<string, string>>();
  constructor(private readonly cap = 100_000) {}

  compact(batch: Batch): Batch {
    let columns: Column[] | null = null;
    batch.columns.forEach((c, ci) => {
      if (c.kind !== 'text') return;
      let dict = this.dicts.get(ci);
      if (!dict) this.dicts.set(ci, (dict = new Map()));
      const out = new Array<string | null>(batch.length);
      for (let i = 0; i < batch.length; i++) {
        const v = c.values[i];
        if (v === null) {
          out[i] = null;
          continue;
        }
        const hit = dict.get(v);
        if (hit !== undefined) out[i] = hit;
        else {
          if (dict.size < this.cap) {
            const own = detach(v);
            dict.set(own, own);
            out[i] = own;
            continue;
          }
          out[i] = v;
        }
      }
      (columns ??= batch.columns.slice())[ci] = { kind: 'text', values: out };
    });
    return columns ? { ...batch, columns } : batch;
  }
}

/**
 * A copy of `s` that does not keep the string it was cut from alive. V8 represents a substring
 * of 13 or more characters as a view into its parent; one short raw line kept from a 1 MB block
 * of text would otherwise keep the whole block in memory.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/**
 * The rows a step has to see in full before it can emit anything (sort, window, mean fill...),
 * held with their repeated text shared (TextInterner).
 */
export class HeldRows {
  private batches: Batch[] = [];
  private readonly interner = new TextInterner();

  add(batch: Batch): void {
    this.batches.push(this.interner.compact(batch));
  }

  /** The held batches, in order; the holder is left empty. */
  takeBatches(): Batch[] {
    return this.batches.splice(0);
  }

  /** Every held row as one batch, or null when there are none; the holder is left empty. */
  takeAll(fields: Field[]): Batch | null {
    return this.batches.length ? concat(this.takeBatches(), fields) : null;
  }
}
