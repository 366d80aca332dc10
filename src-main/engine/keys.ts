/**
 * Row keys for de-duplication and uniqueness. Two whole-number columns pack into one number
 * (much cheaper in a Set than a joined string); anything else falls back to a joined string.
 * The packing is injective on its range and numbers never equal strings, so keys never collide.
 */
import { TupleSet } from './hashset';
import { SeenKeys } from './seen-keys';
import { detach, type Batch, type Column } from './table';

export type RowKey = number | string;

const SHIFT = 2 ** 26;

export function keyFn(batch: Batch, cols: number[]): (row: number) => RowKey | null {
  const columns: Column[] = cols.map((c) => batch.columns[c]);
  if (columns.length === 1) {
    const c = columns[0];
    if (c.kind === 'num') return (i) => (c.valid[i] ? c.values[i] : null);
    return (i) => c.values[i];
  }
  if (columns.length === 2 && columns[0].kind === 'num' && columns[1].kind === 'num') {
    const [a, b] = columns;
    return (i) => {
      if (!a.valid[i] || !b.valid[i]) return null;
      const x = a.values[i];
      const y = b.values[i];
      if (
        Number.isInteger(x) &&
        Number.isInteger(y) &&
        x >= 0 &&
        y >= 0 &&
        y < SHIFT &&
        x < 2 ** 26
      )
        return x * SHIFT + y;
      return `${x}\u0001${y}`;
    };
  }
  return (i) => {
    let s = '';
    for (let k = 0; k < columns.length; k++) {
      const c = columns[k];
      let v: string | number | null;
      if (c.kind === 'num') v = c.valid[i] ? c.values[i] : null;
      else v = c.values[i];
      if (v === null) return null;
      s += (k ? '\u0001' : '') + (typeof v === 'number' ? 'n' + v : v);
    }
    return s;
  };
}

/** Like keyFn, but a null in a key column is part of the key instead of making it null. */
export function keyFnWithNulls(batch: Batch, cols: number[]): (row: number) => RowKey {
  const strict = keyFn(batch, cols);
  const columns = cols.map((c) => batch.columns[c]);
  return (i) => {
    const k = strict(i);
    if (k !== null) return k;
    return columns
      .map((c) =>
        c.kind === 'num' ? (c.valid[i] ? 'n' + c.values[i] : '\u0000') : (c.values[i] ?? '\u0000'),
      )
      .join('\u0001');
  };
}

/** Key columns per word of null and kind flags (two bits each). */
const PER_WORD = 15;
/** Rows whose keys are worked out together. */
const CHUNK = 4096;

/**
 * Dense ids for row keys, across batches: rows whose key columns hold equal values get the same
 * id, and ids count up from 0 in the order keys first appear. A null is a value of its own, as
 * in keyFnWithNulls. No string is built per row: numbers go into a TupleSet as they are, and
 * text is replaced by a number per distinct value of its column.
 *
 *   keys.ids(batch, [0, 2], out) // out[i]: the id of row i's (column 0, column 2)
 */
export class RowKeys {
  private readonly set: TupleSet | SeenKeys;
  private readonly words: number;
  private readonly dicts: Map<string, number>[];
  /** Whether each key column was text in the first batch; a flag marks a row where it is not. */
  private firstKinds: boolean[] | null = null;
  private scratch: Float64Array[] = [];

  /**
   * `firstOnly`: only a key's first row gets its id, and every later row -1 (SeenKeys), which
   * is all a keep-first de-duplication asks, in much less memory when keys come in order.
   */
  constructor(
    readonly arity: number,
    firstOnly = false,
  ) {
    this.words = Math.ceil(arity / PER_WORD);
    this.set = firstOnly ? new SeenKeys(arity + this.words) : new TupleSet(arity + this.words);
    this.dicts = Array.from({ length: arity }, () => new Map<string, number>());
  }

  /** How many distinct keys were seen. */
  get size(): number {
    return this.set.size;
  }

  /** Makes room for about `count` distinct keys before the first (TupleSet.reserve). */
  reserve(count: number): void {
    this.set.reserve(count);
  }

  /** Sets out[i] to the id of the key of row i (-1 for a repeat when firstOnly), for every row. */
  ids(batch: Batch, cols: number[], out: Int32Array): void {
    // In pieces, so that a held table of millions of rows needs no scratch of its size.
    for (let start = 0; start < batch.length; start += CHUNK)
      this.idsOf(batch, cols, out, start, Math.min(batch.length, start + CHUNK));
  }

  private idsOf(batch: Batch, cols: number[], out: Int32Array, start: number, end: number): void {
    const n = end - start;
    const k = this.arity;
    if (this.scratch.length === 0)
      this.scratch = Array.from({ length: k + this.words }, () => new Float64Array(CHUNK));
    const comps: Float64Array[] = new Array<Float64Array>(k + this.words);
    const flags = this.scratch.slice(k);
    for (const f of flags) f.fill(0, 0, n);
    const kinds = (this.firstKinds ??= cols.map((c) => batch.columns[c].kind === 'text'));
    for (let j = 0; j < k; j++) {
      const col = batch.columns[cols[j]];
      const flag = flags[(j / PER_WORD) | 0];
      const nullBit = 1 << (2 * (j % PER_WORD));
      if ((col.kind === 'text') !== kinds[j]) {
        const kindBit = nullBit << 1;
        for (let i = 0; i < n; i++) flag[i] += kindBit;
      }
      const dst = this.scratch[j];
      if (col.kind === 'num') {
        const { valid, values } = col;
        let all = true;
        for (let i = start; i < end; i++)
          if (valid[i] === 0) {
            all = false;
            break;
          }
        if (all) {
          comps[j] = values.subarray(start, end);
          continue;
        }
        for (let i = 0; i < n; i++) {
          if (valid[start + i] === 0) {
            dst[i] = 0;
            flag[i] += nullBit;
          } else dst[i] = values[start + i];
        }
        comps[j] = dst;
        continue;
      }
      const dict = this.dicts[j];
      const values = col.values;
      for (let i = 0; i < n; i++) {
        const v = values[start + i];
        if (v === null) {
          dst[i] = 0;
          flag[i] += nullBit;
          continue;
        }
        let id = dict.get(v);
        if (id === undefined) dict.set(detach(v), (id = dict.size));
        dst[i] = id;
      }
      comps[j] = dst;
    }
    for (let w = 0; w < this.words; w++) comps[k + w] = flags[w];
    this.set.addAll(comps, n, out, start);
  }
}
