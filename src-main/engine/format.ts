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
  if (Object.is(n, -0)) return '0';
  const s = n.toString();
  return s.includes('e') ? expandExponent(s) : s;
}

/** "1.5e-7" -> "0.00000015", "1e+21" -> "1000000000000000000000": same digits, no exponent. */
function expandExponent(s: string): string {
  const [mant, expText] = s.split('e');
  const neg = mant.startsWith('-');
  const [intPart, frac = ''] = (neg ? mant.slice(1) : mant).split('.');
  const digits = intPart + frac;
  const point = intPart.length + Number(expText);
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return (neg ? '-' : '') + out;
}
