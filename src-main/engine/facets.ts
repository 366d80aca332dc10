/**
 * Facets: filters on columns of a table that combine (a row shows when it passes every one),
 * as OpenRefine's do. A facet on a column the table does not have is ignored, not an error: the
 * two sides of a step may differ in their columns.
 */
import type { Facet } from '../../src-shared/api/contract';
import type { Value } from './table';

export type { Facet };

export interface FacetColumn {
  name: string;
  type: string;
}

const NUMERIC = new Set(['int', 'float', 'decimal']);

/** The text a cell is faceted by: what the grids show (null for an empty cell). */
export function facetText(v: Value): string | null {
  if (v === null || v === '') return null;
  return typeof v === 'string' ? v : String(v);
}

/** Orders values as the column's type does: numbers as numbers, the rest (ISO dates too) as text. */
function comparer(type: string): (a: Value, b: string) => number | null {
  if (NUMERIC.has(type) || type === 'boolean')
    return (a, b) => {
      const x = typeof a === 'boolean' ? Number(a) : Number(a);
      const y = b === 'true' ? 1 : b === 'false' ? 0 : Number(b);
      return Number.isNaN(x) || Number.isNaN(y) ? null : x - y;
    };
  return (a, b) => {
    const x = String(a);
    return x < b ? -1 : x > b ? 1 : 0;
  };
}

/** One facet as a test of a cell. */
function cellTest(f: Facet, type: string): (v: Value) => boolean {
  const cmp = comparer(type);
  if (f.kind === 'values') {
    const wanted = new Set(f.values);
    return (v) => wanted.has(facetText(v));
  }
  if (f.kind === 'range')
    return (v) => {
      if (facetText(v) === null) return false;
      if (f.from !== null) {
        const c = cmp(v, f.from);
        if (c === null || c < 0) return false;
      }
      if (f.to !== null) {
        const c = cmp(v, f.to);
        if (c === null || c > 0) return false;
      }
      return true;
    };
  const arg = f.value ?? '';
  const lower = arg.toLowerCase();
  const ordered = (ok: (c: number) => boolean) => (v: Value) => {
    if (facetText(v) === null) return false;
    const c = cmp(v, arg);
    return c !== null && ok(c);
  };
  switch (f.op) {
    case 'empty':
      return (v) => facetText(v) === null;
    case 'not_empty':
      return (v) => facetText(v) !== null;
    case 'equals':
      return (v) => facetText(v) === arg;
    case 'not_equals':
      return (v) => facetText(v) !== arg;
    // Text searches ignore case, as a search box does.
    case 'contains':
      return (v) => (facetText(v) ?? '').toLowerCase().includes(lower);
    case 'starts_with':
      return (v) => (facetText(v) ?? '').toLowerCase().startsWith(lower);
    case 'gt':
      return ordered((c) => c > 0);
    case 'gte':
      return ordered((c) => c >= 0);
    case 'lt':
      return ordered((c) => c < 0);
    case 'lte':
      return ordered((c) => c <= 0);
  }
}

export interface FacetFilter {
  /** Per facet: whether this table has its column (false: ignored here). */
  applied: boolean[];
  /** Bits of the applied facets a row passes (bit k for facet k). */
  mask(row: Value[]): number;
  /** The mask of a row that passes every applied facet. */
  all: number;
}

/**
 * The facets as one filter over rows of `columns`; at most 31 facets (a mask's bits).
 *
 * @example facetFilter([{ kind: 'values', column: 'v', values: ['a'] }], [{ name: 'v', type: 'string' }]).mask(['a']) === 1
 */
export function facetFilter(
  facets: Facet[],
  columns: FacetColumn[],
  /** Facets not to apply here (their column holds another type on this side of a step). */
  ignore: boolean[] = [],
): FacetFilter {
  if (facets.length > 31) throw new RangeError('at most 31 facets at once');
  const tests: [number, number, (v: Value) => boolean][] = [];
  const applied = facets.map((f, k) => {
    const ci = ignore[k] ? -1 : columns.findIndex((c) => c.name === f.column);
    if (ci >= 0) tests.push([k, ci, cellTest(f, columns[ci].type)]);
    return ci >= 0;
  });
  let all = 0;
  for (const [k] of tests) all |= 1 << k;
  return {
    applied,
    all,
    mask(row) {
      let m = 0;
      for (const [k, ci, test] of tests) if (test(row[ci])) m |= 1 << k;
      return m;
    },
  };
}
