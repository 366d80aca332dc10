/**
 * Batches as messages between threads. Every typed array of a batch (numbers, validity, text
 * lengths, line numbers) is copied into one buffer, which is moved (not copied again) to the
 * receiving thread: a message moving a buffer per column costs more than the copy. A text
 * column travels as one string of its values joined and their lengths, since a message with a
 * string per cell costs a copy and an allocation per cell on both sides.
 */
import type { Batch, Column, Field } from '../engine/table';

export type WireColumn =
  | { kind: 'text'; joined: string; lengths: number }
  | { kind: 'num'; values: number; valid: number };

/** A batch as a message; the numbers are offsets into `data` (in bytes). */
export interface WireBatch {
  fields: Field[];
  columns: WireColumn[];
  length: number;
  data: ArrayBuffer;
  line: number;
  lineEnd: number;
}

/** A batch as a message, and the buffer to move with it (postMessage's transfer list). */
export function packBatch(batch: Batch): { wire: WireBatch; transfer: ArrayBuffer[] } {
  const n = batch.length;
  // Float64 values first (8-byte aligned), then the Int32 arrays, then the Uint8 ones.
  let size = 0;
  const f64At: number[] = [];
  for (const c of batch.columns)
    if (c.kind === 'num') {
      f64At.push(size);
      size += 8 * n;
    }
  const i32 = (): number => {
    const at = size;
    size += 4 * n;
    return at;
  };
  const line = i32();
  const lineEnd = i32();
  const lengthsAt = batch.columns.map((c) => (c.kind === 'text' ? i32() : -1));
  const validAt = batch.columns.map((c) => {
    if (c.kind !== 'num') return -1;
    const at = size;
    size += n;
    return at;
  });
  const data = new ArrayBuffer(size);
  new Int32Array(data, line, n).set(batch.line.subarray(0, n));
  new Int32Array(data, lineEnd, n).set(batch.lineEnd.subarray(0, n));
  let f = 0;
  const columns = batch.columns.map((c, ci): WireColumn => {
    if (c.kind === 'num') {
      const values = f64At[f++];
      new Float64Array(data, values, n).set(c.values.subarray(0, n));
      new Uint8Array(data, validAt[ci], n).set(c.valid.subarray(0, n));
      return { kind: 'num', values, valid: validAt[ci] };
    }
    const lengths = new Int32Array(data, lengthsAt[ci], n);
    const values = c.values;
    // Appended one by one: V8 keeps the pieces until the message copies them out, once, which
    // took half the time of join('') (and of the copy of the array it joined).
    let joined = '';
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === null) lengths[i] = -1;
      else {
        lengths[i] = v.length;
        joined += v;
      }
    }
    return { kind: 'text', joined, lengths: lengthsAt[ci] };
  });
  const wire: WireBatch = { fields: batch.fields, columns, length: n, data, line, lineEnd };
  return { wire, transfer: [data] };
}

/** The batch a message carries (its typed arrays are views of the message's buffer). */
export function unpackBatch(wire: WireBatch): Batch {
  const n = wire.length;
  const { data } = wire;
  const columns = wire.columns.map((c): Column => {
    if (c.kind === 'num')
      return {
        kind: 'num',
        values: new Float64Array(data, c.values, n),
        valid: new Uint8Array(data, c.valid, n),
      };
    const values = new Array<string | null>(n);
    const lengths = new Int32Array(data, c.lengths, n);
    const { joined } = c;
    for (let i = 0, at = 0; i < n; i++) {
      const len = lengths[i];
      if (len < 0) values[i] = null;
      else {
        values[i] = joined.slice(at, at + len);
        at += len;
      }
    }
    return { kind: 'text', values };
  });
  return {
    fields: wire.fields,
    columns,
    length: n,
    line: new Int32Array(data, wire.line, n),
    lineEnd: new Int32Array(data, wire.lineEnd, n),
  };
}
