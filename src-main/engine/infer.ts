/**
 * Type inference for text values: what one value could be. Each distinct value is classified
 * once; the decision for a column is made from the classes of all its values (type-tally.ts).
 * Dates need care: `07-03-1939` could be July or March. A column gets one day/month order,
 * decided by the values whose order is certain (`9/27/1979` can only be month-first) across
 * all the renderings it contains; when no value decides it, inference says so and asks for an
 * explicit format instead of guessing. So a date's class says what it is under either order.
 */
import { compileDateFormat, MS_PER_DAY } from './dates';
import { parseBoolean, parseIntStrict, parseNumber, parsePlainNumber } from './numbers';
import { EMAIL_PATTERN } from './email';

export const F_INT = 1;
export const F_FLOAT = 2;
export const F_DECIMAL = 4;
export const F_BOOL = 8;
export const F_EMAIL = 16;
export const F_DATE = 32;

/** What one text value could be. */
export interface ValueClass {
  flags: number;
  /** The number, for int/float/decimal values. */
  num?: number;
  /** Date shape: the rendering and what it says about day/month order. */
  date?: DateShape;
}

export interface DateShape {
  /** Rendering with the day/month positions unresolved, e.g. "A/B/yyyy" or "AA-BB-yyyy". */
  rendering: string;
  /** 'ymd' for year-first renderings, which have no ambiguity. */
  order: 'ymd' | 'ab';
  /** Evidence: 'md' when only month-first is possible, 'dm' when only day-first is. */
  evidence: 'md' | 'dm' | 'none';
  hasTime: boolean;
  /** Its time (UTC ms) read month-first, or null when that is not a real date; so for day-first. Year-first: the same. */
  msMd: number | null;
  msDm: number | null;
}

const DATE_RE =
  /^(\d{1,4})([-/.])(\d{1,2})\2(\d{2}|\d{4})(?:([ T])(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(?:\s*([AaPp][Mm]))?)?$/;
const BOOL_WORDS = /^(true|false|yes|no|y|n|t|f)$/i;

/** Plain digits without a leading zero: an int, whatever else the checks below would find. */
export const INT_CLASS = F_INT | F_FLOAT | F_DECIMAL;

export function classify(text: string): ValueClass {
  const s = text.trim();
  const fast = plainInt(s);
  if (fast !== undefined) return { flags: INT_CLASS, num: fast, date: undefined };
  let flags = 0;
  let num: number | undefined;
  const int = parseIntStrict(s);
  if (int !== null) {
    flags |= F_INT | F_FLOAT | F_DECIMAL;
    num = int;
  } else {
    const plain = /^[+-]?0\d/.test(s) ? null : parsePlainNumber(s);
    if (plain !== null) {
      flags |= F_FLOAT | F_DECIMAL;
      num = plain;
    } else {
      const dec = parseNumber(s);
      if (dec !== null && /\d/.test(s) && !/^[+-]?0\d/.test(s)) {
        flags |= F_DECIMAL;
        num = dec;
      }
    }
  }
  if (BOOL_WORDS.test(s) && parseBoolean(s) !== null) flags |= F_BOOL;
  if (s.includes('@') && EMAIL_PATTERN.test(s)) flags |= F_EMAIL;
  let date: DateShape | undefined;
  const m = DATE_RE.exec(s);
  if (m) {
    const shape = dateShape(m);
    if (shape) {
      date = withTimes(s, shape);
      flags |= F_DATE;
    }
  }
  return { flags, num, date };
}

/** The value of up to 15 digits with no sign and no leading zero ("0" itself is one). */
function plainInt(s: string): number | undefined {
  const n = s.length;
  if (n === 0 || n > 15 || (n > 1 && s.charCodeAt(0) === 48)) return undefined;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    v = v * 10 + c;
  }
  return v;
}

/** The rendering read with its A/B fields in each order, for the value `s`. */
function withTimes(s: string, d: Omit<DateShape, 'msMd' | 'msDm'>): DateShape {
  if (d.order === 'ymd') {
    const ms = compileDateFormat(d.rendering).parse(s);
    return { ...d, msMd: ms, msDm: ms };
  }
  return {
    ...d,
    msMd: compileDateFormat(orderFormat(d.rendering, true)).parse(s),
    msDm: compileDateFormat(orderFormat(d.rendering, false)).parse(s),
  };
}

/** A rendering's A/B fields as month and day (month-first) or day and month. */
export function orderFormat(rendering: string, monthFirst: boolean): string {
  return monthFirst
    ? rendering.replace('AA', 'MM').replace('A', 'M').replace('BB', 'dd').replace('B', 'd')
    : rendering.replace('AA', 'dd').replace('A', 'd').replace('BB', 'MM').replace('B', 'M');
}

function dateShape(m: RegExpExecArray): Omit<DateShape, 'msMd' | 'msDm'> | undefined {
  const [, a, sep, b, c, tsep, hh, , sec, frac, ampm] = m;
  const hasTime = hh !== undefined;
  let time = '';
  if (hasTime) {
    time =
      (tsep === 'T' ? "'T'" : ' ') +
      (ampm ? (hh.length === 2 ? 'hh' : 'h') : hh.length === 2 ? 'HH' : 'H') +
      ':mm';
    if (sec !== undefined) time += ':ss';
    if (frac !== undefined) time += '.SSS';
    if (ampm) time += ' a';
  }
  if (a.length === 4) {
    if (c.length > 2) return undefined;
    const mm = b.length === 2 ? 'MM' : 'M';
    const dd = c.length === 2 ? 'dd' : 'd';
    return {
      rendering: `yyyy${sep}${mm}${sep}${dd}${time}`,
      order: 'ymd',
      evidence: 'none',
      hasTime,
    };
  }
  if (a.length > 2) return undefined;
  const x = +a;
  const y = +b;
  if (x < 1 || y < 1 || (x > 12 && y > 12) || x > 31 || y > 31) return undefined;
  const evidence = x > 12 ? 'dm' : y > 12 ? 'md' : 'none';
  const A = a.length === 2 ? 'AA' : 'A';
  const B = b.length === 2 ? 'BB' : 'B';
  return {
    rendering: `${A}${sep}${B}${sep}${c.length === 4 ? 'yyyy' : 'yy'}${time}`,
    order: 'ab',
    evidence,
    hasTime,
  };
}

/** A date's value as the profile orders it: days for a date, ms for a datetime. */
export function dateValue(ms: number, type: 'date' | 'datetime'): number {
  return type === 'date' ? Math.floor(ms / MS_PER_DAY) : ms;
}
