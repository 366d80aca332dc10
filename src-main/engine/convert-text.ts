/** Text to typed values with the canonical parsers, for reading typed tables back. */
import type { ColumnType } from '../../src-shared/recipe/steps';
import { compileDateFormat, MS_PER_DAY } from './dates';
import { parseBoolean, parseNumber, parsePlainNumber } from './numbers';
import { numColumn, type Column } from './table';

export type TextConversion = (text: string) => number | null;

export function textConversion(type: ColumnType, formats?: string[]): TextConversion {
  switch (type) {
    case 'int':
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
      const fs = (formats ?? [type === 'date' ? 'yyyy-MM-dd' : "yyyy-MM-dd'T'HH:mm:ss"]).map(
        compileDateFormat,
      );
      return (t) => {
        for (const f of fs) {
          const ms = f.parse(t.trim());
          if (ms !== null) return type === 'date' ? Math.floor(ms / MS_PER_DAY) : ms;
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
