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

/**
 * Whether `formatValue(type, n) === text`, for `n` read from `text`: the common answers
 * without formatting (which costs more than the parse), the rest by formatting.
 *
 *   readsAs('date', 16801, '1/1/2016') === false; readsAs('int', 12, '12') === true
 */
export function readsAs(type: ColumnType, n: number, text: string): boolean {
  switch (type) {
    case 'string':
      return false;
    case 'date':
      // Canonical dates are yyyy-MM-dd (years 0..9999); anything else changed.
      return text.length === 10 && text.charCodeAt(4) === 45 && formatIsoDate(n) === text;
    case 'datetime':
      return text.length >= 19 && text.charCodeAt(10) === 84 && formatIsoDateTime(n) === text;
    case 'boolean':
      return text === (n ? 'true' : 'false');
    default: {
      if (n === 0) return text === '0';
      return readsAsNumber(n, text);
    }
  }
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Whether `text` is formatNumber's own spelling of n (-12.5, 0.25, 7: no leading zeros before
 * the point, no trailing zeros after it). Up to 15 digits the digits are read here (mantissa
 * over a power of ten is correctly rounded, as Number() is); longer ones are formatted.
 */
function readsAsNumber(n: number, s: string): boolean {
  const len = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  const neg = i === 1;
  const first = s.charCodeAt(i);
  if (first === 48) {
    // A leading zero only before the point.
    if (i + 1 < len && s.charCodeAt(i + 1) !== 46) return false;
  } else if (!(first >= 49 && first <= 57)) return false;
  let digits = 0;
  let point = -1;
  let mant = 0;
  for (; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      mant = mant * 10 + (c - 48);
    } else if (c === 46 && point < 0) point = i;
    else return false;
  }
  // No "1." and no trailing zeros after the point.
  if (point >= 0 && (point === len - 1 || s.charCodeAt(len - 1) === 48)) return false;
  if (digits > 15) return Number(s) === n && formatNumber(n) === s;
  const v = point < 0 ? mant : mant / POW10[len - 1 - point];
  return (neg ? -v : v) === n;
}
