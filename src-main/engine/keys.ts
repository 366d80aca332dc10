/**
 * Row keys for de-duplication and uniqueness. Two whole-number columns pack into one number
 * (much cheaper in a Set than a joined string); anything else falls back to a joined string.
 * The packing is injective on its range and numbers never equal strings, so keys never collide.
 */
import type { Batch, Column } from './table';

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
