/** Value facets as the profile's bars toggle them (the facets in words: src-shared/facet-words.ts). */
import type { Facet } from '../../../src-shared/api/contract';

/** Whether a value facet on `column` holds `value` (a bar of the profile shows it pressed). */
export function hasValue(facets: Facet[], column: string, value: string | null): boolean {
  return facets.some((f) => f.kind === 'values' && f.column === column && f.values.includes(value));
}

/**
 * The facets after a click on a value of `column`: added to that column's value facet (values
 * of one column are alternatives), or taken out of it (the facet goes with its last value).
 */
export function toggledValue(facets: Facet[], column: string, value: string | null): Facet | null {
  const f = facets.find((x) => x.kind === 'values' && x.column === column);
  const values = f?.kind === 'values' ? f.values : [];
  const next = values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
  return next.length ? { kind: 'values', column, values: next } : null;
}
