/** Canonical text of typed values: what CSV outputs and previews show. */
import type { ColumnType } from '../../src-shared/recipe/steps';
import { formatIsoDate, formatIsoDateTime } from './dates';

/** formatValue('date', 0) === '1970-01-01'; formatValue('decimal', 12.5) === '12.5' */
export function formatValue(type: ColumnType, v: number | string): string {
  if (typeof v === 'string') return v;
  switch (type) {
    case 'date':
      return formatIsoDate(v);
    case 'datetime':
      return formatIsoDateTime(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return formatNumber(v);
  }
}

/** Plain decimal notation with '.', no exponent for ordinary magnitudes. */
const SMALL = Array.from({ length: 1024 }, (_, i) => String(i));

export function formatNumber(n: number): string {
  if (n >= 0 && n < 1024 && (n | 0) === n && !Object.is(n, -0)) return SMALL[n];
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toString();
  const s = n.toString();
  if (!s.includes('e')) return s;
  return n.toFixed(20).replace(/\.?0+$/, '');
}
