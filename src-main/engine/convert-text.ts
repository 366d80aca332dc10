/**
 * Text to typed values with the canonical parsers: what cast does, and how typed tables are
 * read back. A date format that does not compile throws DateFormatError.
 */
import type { ColumnType } from '../../src-shared/recipe/steps';
import { compileDateFormat, MS_PER_DAY } from './dates';
import { parseBoolean, parseNumber, parsePlainNumber, scanInt } from './numbers';
import { numColumn, type Column } from './table';

export type TextConversion = (text: string) => number | null;

/** What cast reads as a datetime when no formats are given. */
export const DATETIME_FORMATS = [
  "yyyy-MM-dd'T'HH:mm:ss.SSS",
  "yyyy-MM-dd'T'HH:mm:ss",
  'yyyy-MM-dd HH:mm:ss.SSS',
  'yyyy-MM-dd HH:mm:ss',
  "yyyy-MM-dd'T'HH:mm",
  'yyyy-MM-dd HH:mm',
  'yyyy-MM-dd',
];

export function textConversion(type: ColumnType, formats?: string[]): TextConversion {
  switch (type) {
    case 'int':
      return (t) => {
        const fast = scanInt(t);
        if (fast !== undefined) return fast;
        const n = parsePlainNumber(t.trim());
        return n !== null && Number.isSafeInteger(n) ? n : null;
      };
    case 'float':
      return (t) => parsePlainNumber(t.trim());
    case 'decimal':
      return (t) => parseNumber(t);
    case 'boolean':
      return (t) => {
        const b = parseBoolean(t);
        return b === null ? null : +b;
      };
    case 'date':
    case 'datetime': {
      const fs = (formats ?? (type === 'date' ? ['yyyy-MM-dd'] : DATETIME_FORMATS)).map(
        compileDateFormat,
      );
      const out =
        type === 'date' ? (ms: number) => Math.floor(ms / MS_PER_DAY) : (ms: number) => ms;
      return (t) => {
        for (const f of fs) {
          const ms = f.parse(t);
          if (ms !== null) return out(ms);
        }
        return null;
      };
    }
    default:
      return () => null;
  }
}

/** Converts a text column; a value that does not convert becomes null. */
export function convertText(values: (string | null)[], n: number, conv: TextConversion): Column {
  const out = numColumn(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === '') continue;
    const x = conv(v);
    if (x !== null) {
      out.values[i] = x;
      out.valid[i] = 1;
    }
  }
  return out;
}
