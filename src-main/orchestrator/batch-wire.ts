/**
 * Batches as messages between threads. Typed columns travel as their typed arrays, moved (not
 * copied) to the receiving thread; a text column as one string of its values joined and their
 * lengths, since a message with a string per cell costs a copy and an allocation per cell on
 * both sides. The sender must not use a batch once it is packed.
 */
import type { Batch, Column, Field } from '../engine/table';

export type WireColumn =
  | { kind: 'text'; joined: string; lengths: Int32Array }
  | { kind: 'num'; values: Float64Array; valid: Uint8Array };

export interface WireBatch {
  fields: Field[];
  columns: WireColumn[];
  length: number;
  line: Int32Array;
  lineEnd: Int32Array;
}

/** A batch as a message, and the buffers to move with it (postMessage's transfer list). */
export function packBatch(batch: Batch): { wire: WireBatch; transfer: ArrayBuffer[] } {
  const n = batch.length;
  const moved = new Set<ArrayBufferLike>();
  // A typed array that is a view of a larger buffer, or of one already moved, is copied: the
  // rest of its buffer may still be in use here.
  const own = <T extends Float64Array | Uint8Array | Int32Array>(a: T): T => {
    const whole = a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.length === n;
    const mine = whole && !moved.has(a.buffer) ? a : (a.slice(0, n) as T);
    moved.add(mine.buffer);
    return mine;
  };
  const columns = batch.columns.map((c): WireColumn => {
    if (c.kind === 'num') return { kind: 'num', values: own(c.values), valid: own(c.valid) };
    const lengths = new Int32Array(n);
    moved.add(lengths.buffer);
    for (let i = 0; i < n; i++) {
      const v = c.values[i];
      lengths[i] = v === null ? -1 : v.length;
    }
    return { kind: 'text', joined: c.values.slice(0, n).join(''), lengths };
  });
  const wire: WireBatch = {
    fields: batch.fields,
    columns,
    length: n,
    line: own(batch.line),
    lineEnd: own(batch.lineEnd),
  };
  return { wire, transfer: [...moved] as ArrayBuffer[] };
}

/** The batch a message carries. */
export function unpackBatch(wire: WireBatch): Batch {
  const n = wire.length;
  const columns = wire.columns.map((c): Column => {
    if (c.kind === 'num') return c;
    const values = new Array<string | null>(n);
    const { joined, lengths } = c;
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
  return { fields: wire.fields, columns, length: n, line: wire.line, lineEnd: wire.lineEnd };
}
