/** Facets in words, for chips and tooltips: "Currency Code: CAD or USD", "Quantity ≥ 5". */
import type { Facet } from '../../../src-shared/api/contract';

const OPS: Record<Extract<Facet, { kind: 'condition' }>['op'], string> = {
  empty: 'is empty',
  not_empty: 'is not empty',
  equals: '=',
  not_equals: '≠',
  contains: 'contains',
  starts_with: 'starts with',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
};

const shown = (v: string | null): string => (v === null ? '(empty)' : v);

export function facetWords(f: Facet): string {
  if (f.kind === 'values') {
    const vs = f.values.slice(0, 3).map(shown).join(' or ');
    return `${f.column}: ${vs}${f.values.length > 3 ? ` or ${f.values.length - 3} more` : ''}`;
  }
  if (f.kind === 'range') {
    if (f.from !== null && f.to !== null)
      return f.from === f.to ? `${f.column} = ${f.from}` : `${f.column}: ${f.from} – ${f.to}`;
    return f.from !== null ? `${f.column} ≥ ${f.from}` : `${f.column} ≤ ${f.to ?? ''}`;
  }
  const arg = f.op === 'empty' || f.op === 'not_empty' ? '' : ` ${f.value ?? ''}`;
  return `${f.column} ${OPS[f.op]}${arg}`;
}

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
