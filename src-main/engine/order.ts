/** Row ordering shared by sort and window: keys ascending or descending, nulls first or last. */
import type { Field } from './table';
import { rawValue, type Batch } from './table';
import { resolveColumns } from './step';

export type SortKeySpec =
  string | { column: string; order: 'asc' | 'desc'; nulls: 'first' | 'last' };

interface SortKey {
  col: number;
  desc: boolean;
  nullsFirst: boolean;
}

/** Resolves `by` entries against the columns; unknown names are configuration errors. */
export function sortKeys(by: SortKeySpec[], fields: Field[], key: string): SortKey[] {
  const specs = by.map((b) =>
    typeof b === 'string' ? { column: b, order: 'asc', nulls: 'last' } : b,
  );
  const cols = resolveColumns(
    specs.map((s) => s.column),
    fields,
    { key },
  );
  return specs.map((s, k) => ({
    col: cols[k],
    desc: s.order === 'desc',
    nullsFirst: s.nulls === 'first',
  }));
}

/**
 * A comparator of row indexes of `batch` (0 when the keys are equal). Text compares by code
 * point, so the order never depends on the machine's locale.
 */
export function rowComparator(batch: Batch, keys: SortKey[]): (a: number, b: number) => number {
  const values = keys.map((k) =>
    Array.from({ length: batch.length }, (_, i) => rawValue(batch.columns[k.col], i)),
  );
  return (a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const x = values[k][a];
      const y = values[k][b];
      if (x === y) continue;
      if (x === null) return keys[k].nullsFirst ? -1 : 1;
      if (y === null) return keys[k].nullsFirst ? 1 : -1;
      const c = x < y ? -1 : 1;
      return keys[k].desc ? -c : c;
    }
    return 0;
  };
}
