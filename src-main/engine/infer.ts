/**
 * Type inference for text values. Each distinct value is classified once; the decision for a
 * column is made from the classes of all its values. Dates need care: `07-03-1939` could be
 * July or March. A column gets one day/month order, decided by the values whose order is
 * certain (`9/27/1979` can only be month-first) across all the renderings it contains; when no
 * value decides it, inference says so and asks for an explicit format instead of guessing.
 */
import type { ColumnType } from '../../src-shared/recipe/steps';
import { compileDateFormat, MS_PER_DAY } from './dates';
import { parseBoolean, parseIntStrict, parseNumber, parsePlainNumber } from './numbers';
import { EMAIL_PATTERN } from './steps/validate';

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
}

const DATE_RE =
  /^(\d{1,4})([-/.])(\d{1,2})\2(\d{2}|\d{4})(?:([ T])(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(?:\s*([AaPp][Mm]))?)?$/;
const BOOL_WORDS = /^(true|false|yes|no|y|n|t|f)$/i;

export function classify(text: string): ValueClass {
  const s = text.trim();
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
    date = dateShape(m);
    if (date) flags |= F_DATE;
  }
  return { flags, num, date };
}

function dateShape(m: RegExpExecArray): DateShape | undefined {
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

/** Column types plus `email`, which is stored as text but worth knowing about. */
export type InferredType = ColumnType | 'email';

export interface TypeGuess {
  type: InferredType;
  /** Share of non-null values that fit the type (1 for text). */
  confidence: number;
  /** Date formats, in the order to try them. */
  formats?: string[];
  /** Values that do not fit the type, up to five. */
  misfits: string[];
  /** Why a likely type was not chosen (for example, an undecidable day/month order). */
  note?: string;
}

/** Fit needed to call a column by a type: a few stray values are rejects, not a reason for text. */
export const FIT = 0.98;

export function decideType(
  entries: Iterable<[string, { count: number; cls: ValueClass }]>,
  nonNull: number,
): TypeGuess {
  const byFlag = new Map<number, number>();
  const renderings = new Map<
    string,
    { count: number; md: number; dm: number; hasTime: boolean; order: 'ymd' | 'ab' }
  >();
  const list: [string, number, ValueClass][] = [];
  for (const [v, { count, cls }] of entries) {
    list.push([v, count, cls]);
    for (const f of [F_INT, F_FLOAT, F_DECIMAL, F_BOOL, F_EMAIL, F_DATE])
      if (cls.flags & f) byFlag.set(f, (byFlag.get(f) ?? 0) + count);
    if (cls.date) {
      const r = renderings.get(cls.date.rendering) ?? {
        count: 0,
        md: 0,
        dm: 0,
        hasTime: cls.date.hasTime,
        order: cls.date.order,
      };
      r.count += count;
      if (cls.date.evidence === 'md') r.md += count;
      if (cls.date.evidence === 'dm') r.dm += count;
      renderings.set(cls.date.rendering, r);
    }
  }
  if (nonNull === 0) return { type: 'string', confidence: 1, misfits: [], note: 'no values' };
  const misfits = (flag: number): string[] =>
    list
      .filter(([, , c]) => !(c.flags & flag))
      .slice(0, 5)
      .map(([v]) => v);
  const share = (flag: number): number => (byFlag.get(flag) ?? 0) / nonNull;
  if (share(F_BOOL) >= FIT)
    return { type: 'boolean', confidence: share(F_BOOL), misfits: misfits(F_BOOL) };
  if (share(F_INT) >= FIT)
    return { type: 'int', confidence: share(F_INT), misfits: misfits(F_INT) };
  if (share(F_FLOAT) >= FIT)
    return { type: 'float', confidence: share(F_FLOAT), misfits: misfits(F_FLOAT) };
  if (share(F_DECIMAL) >= FIT)
    return { type: 'decimal', confidence: share(F_DECIMAL), misfits: misfits(F_DECIMAL) };
  if (share(F_DATE) >= FIT) {
    const d = decideDates(renderings, list, nonNull);
    if (d) return d;
  }
  if (share(F_EMAIL) >= FIT)
    return { type: 'email', confidence: share(F_EMAIL), misfits: misfits(F_EMAIL) };
  return { type: 'string', confidence: 1, misfits: [] };
}

function decideDates(
  renderings: Map<
    string,
    { count: number; md: number; dm: number; hasTime: boolean; order: 'ymd' | 'ab' }
  >,
  list: [string, number, ValueClass][],
  nonNull: number,
): TypeGuess | null {
  let md = 0;
  let dm = 0;
  let ambiguous = false;
  for (const r of renderings.values()) {
    md += r.md;
    dm += r.dm;
    if (r.order === 'ab') ambiguous = true;
  }
  const hasTime = [...renderings.values()].some((r) => r.hasTime);
  const type: ColumnType = hasTime ? 'datetime' : 'date';
  if (ambiguous && md > 0 && dm > 0) {
    return {
      type: 'string',
      confidence: 1,
      misfits: [],
      note: `dates, but ${md} values can only be month-first and ${dm} only day-first: set the formats explicitly`,
    };
  }
  if (ambiguous && md === 0 && dm === 0) {
    return {
      type: 'string',
      confidence: 1,
      misfits: [],
      note: 'dates, but no value decides whether the day or the month comes first: set the formats explicitly',
    };
  }
  const monthFirst = md > 0;
  // Renderings that differ only in zero-padding share one format with 1-or-2-digit fields;
  // the most frequent rendering comes first, so the common case matches on the first try.
  const groups = new Map<string, { format: string; count: number }>();
  for (const [r, info] of renderings) {
    const key = r
      .replace(/AA|A/, 'A')
      .replace(/BB|B/, 'B')
      .replace(/MM|M(?!M)/, 'M')
      .replace(/dd|d(?!d)/, 'd');
    const g = groups.get(key);
    if (!g) groups.set(key, { format: r, count: info.count });
    else {
      g.format = mergePadding(g.format, r);
      g.count += info.count;
    }
  }
  const formats = [...groups.values()]
    .sort((x, y) => y.count - x.count)
    .map(({ format }) => {
      if (!format.includes('A')) return format;
      // A rendering that does not always pad is read leniently in both fields (M/d/yyyy).
      const r = /(^|[^A])A([^A]|$)|(^|[^B])B([^B]|$)/.test(format)
        ? format.replace('AA', 'A').replace('BB', 'B')
        : format;
      return monthFirst
        ? r.replace('AA', 'MM').replace('A', 'M').replace('BB', 'dd').replace('B', 'd')
        : r.replace('AA', 'dd').replace('A', 'd').replace('BB', 'MM').replace('B', 'M');
    });
  const compiled = formats.map((f) => compileDateFormat(f));
  let fit = 0;
  const misfits: string[] = [];
  for (const [v, count] of list) {
    const t = v.trim();
    if (compiled.some((c) => c.parse(t) !== null)) fit += count;
    else if (misfits.length < 5) misfits.push(v);
  }
  if (fit / nonNull < FIT) return null;
  return { type, confidence: fit / nonNull, formats, misfits };
}

/** "AA/B/yyyy" and "A/BB/yyyy" become "A/B/yyyy": a field is padded only if always padded. */
function mergePadding(x: string, y: string): string {
  let out = x;
  for (const [two, one] of [
    ['AA', 'A'],
    ['BB', 'B'],
    ['MM', 'M'],
    ['dd', 'd'],
  ]) {
    if (x.includes(two) !== y.includes(two)) out = out.replace(two, one);
  }
  return out;
}

/** The value of a date text under known formats, as days (date) or ms (datetime). */
export function parseWithFormats(
  text: string,
  formats: string[],
  type: 'date' | 'datetime',
): number | null {
  for (const f of formats) {
    const ms = compileDateFormat(f).parse(text.trim());
    if (ms !== null) return type === 'date' ? Math.floor(ms / MS_PER_DAY) : ms;
  }
  return null;
}
