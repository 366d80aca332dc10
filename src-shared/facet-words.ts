/** Facets in words, for chips, tooltips and file names: "Currency Code: CAD or USD", "Quantity ≥ 5". */
import type { Facet } from './api/contract';

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

/** One facet in words. */
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
