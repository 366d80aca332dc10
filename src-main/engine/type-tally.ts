/**
 * Running totals that decide a column's type: how many values could be each type, the date
 * renderings with their day/month evidence, how many dates are real dates under either order,
 * and the first values that do not fit. Values go in once each with their count (a distinct
 * value) or one at a time (a column past its distinct cap): the decision is the same.
 */
import type { ColumnType } from '../../src-shared/recipe/steps';
import {
  F_BOOL,
  F_DATE,
  F_DECIMAL,
  F_EMAIL,
  F_FLOAT,
  F_INT,
  orderFormat,
  type DateShape,
  type ValueClass,
} from './infer';
import { asciiText } from './text-dict';

const FLAGS = [F_INT, F_FLOAT, F_DECIMAL, F_BOOL, F_EMAIL, F_DATE];
const MISFITS = 5;
const INT_FLAGS = F_INT | F_FLOAT | F_DECIMAL;

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

interface Rendering {
  count: number;
  md: number;
  dm: number;
  hasTime: boolean;
  order: 'ymd' | 'ab';
}

export class TypeTally {
  private readonly byFlag = new Float64Array(FLAGS.length);
  private readonly misfits: string[][] = FLAGS.map(() => []);
  private readonly renderings = new Map<string, Rendering>();
  /** Values that are real dates read month-first (or year-first), and day-first. */
  private fitMd = 0;
  private fitDm = 0;
  private readonly misfitMd: string[] = [];
  private readonly misfitDm: string[] = [];

  add(v: string, count: number, cls: ValueClass): void {
    this.tally(count, cls.flags, cls.date, v, null, 0);
  }

  /** As add, for the value of id, whose text `text(id)` is made only when kept as a misfit. */
  addId(
    id: number,
    count: number,
    flags: number,
    d: DateShape | undefined,
    text: (id: number) => string,
  ): void {
    this.tally(count, flags, d, null, text, id);
  }

  /** The value is `v`, or else `text(id)`. */
  private tally(
    count: number,
    flags: number,
    d: DateShape | undefined,
    v: string | null,
    text: ((id: number) => string) | null,
    id: number,
  ): void {
    for (let f = 0; f < FLAGS.length; f++) {
      if (flags & FLAGS[f]) this.byFlag[f] += count;
      else if (this.misfits[f].length < MISFITS) this.misfits[f].push(v ?? text!(id));
    }
    if (d) {
      let r = this.renderings.get(d.rendering);
      if (!r) {
        r = { count: 0, md: 0, dm: 0, hasTime: d.hasTime, order: d.order };
        this.renderings.set(d.rendering, r);
      }
      r.count += count;
      if (d.evidence === 'md') r.md += count;
      if (d.evidence === 'dm') r.dm += count;
    }
    if (d && d.msMd !== null) this.fitMd += count;
    else if (this.misfitMd.length < MISFITS) this.misfitMd.push(v ?? text!(id));
    if (d && d.msDm !== null) this.fitDm += count;
    else if (this.misfitDm.length < MISFITS) this.misfitDm.push(v ?? text!(id));
  }

  /**
   * Adds `count` of a value that is plain digits, the ASCII bytes [s, e): an int (as classify
   * says).
   */
  addPlainInt(b: Uint8Array, s: number, e: number, count = 1): void {
    for (let f = 0; f < FLAGS.length; f++) {
      if (INT_FLAGS & FLAGS[f]) this.byFlag[f] += count;
      else if (this.misfits[f].length < MISFITS) this.misfits[f].push(asciiText(b, s, e));
    }
    if (this.misfitMd.length < MISFITS) this.misfitMd.push(asciiText(b, s, e));
    if (this.misfitDm.length < MISFITS) this.misfitDm.push(asciiText(b, s, e));
  }

  /** The type the values so far fit, given how many non-null values there were. */
  decide(nonNull: number): TypeGuess {
    if (nonNull === 0) return { type: 'string', confidence: 1, misfits: [], note: 'no values' };
    const share = (flag: number): number => this.byFlag[FLAGS.indexOf(flag)] / nonNull;
    const fits = (type: InferredType, flag: number): TypeGuess => ({
      type,
      confidence: share(flag),
      misfits: this.misfits[FLAGS.indexOf(flag)],
    });
    if (share(F_BOOL) >= FIT) return fits('boolean', F_BOOL);
    if (share(F_INT) >= FIT) return fits('int', F_INT);
    if (share(F_FLOAT) >= FIT) return fits('float', F_FLOAT);
    if (share(F_DECIMAL) >= FIT) return fits('decimal', F_DECIMAL);
    if (share(F_DATE) >= FIT) {
      const d = this.dates(nonNull);
      if (d) return d;
    }
    if (share(F_EMAIL) >= FIT) return fits('email', F_EMAIL);
    return { type: 'string', confidence: 1, misfits: [] };
  }

  /** Whether the dates read month-first (also the answer for year-first dates only). */
  monthFirst(): boolean {
    let md = 0;
    for (const r of this.renderings.values()) md += r.md;
    return md > 0;
  }

  private dates(nonNull: number): TypeGuess | null {
    let md = 0;
    let dm = 0;
    let ambiguous = false;
    for (const r of this.renderings.values()) {
      md += r.md;
      dm += r.dm;
      if (r.order === 'ab') ambiguous = true;
    }
    const hasTime = [...this.renderings.values()].some((r) => r.hasTime);
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
    const formats = dateFormats(this.renderings, monthFirst);
    // A value fits when it is a real date in its own rendering read in the chosen order:
    // the formats are those renderings, so it is what parsing with them would find.
    const fit = monthFirst ? this.fitMd : this.fitDm;
    if (fit / nonNull < FIT) return null;
    const misfits = monthFirst ? this.misfitMd : this.misfitDm;
    return { type, confidence: fit / nonNull, formats, misfits };
  }
}

/**
 * Renderings that differ only in zero-padding share one format with 1-or-2-digit fields;
 * the most frequent rendering comes first, so the common case matches on the first try.
 */
function dateFormats(renderings: Map<string, Rendering>, monthFirst: boolean): string[] {
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
  return [...groups.values()]
    .sort((x, y) => y.count - x.count)
    .map(({ format }) => {
      if (!format.includes('A')) return format;
      // A rendering that does not always pad is read leniently in both fields (M/d/yyyy).
      const r = /(^|[^A])A([^A]|$)|(^|[^B])B([^B]|$)/.test(format)
        ? format.replace('AA', 'A').replace('BB', 'B')
        : format;
      return orderFormat(r, monthFirst);
    });
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

/** The type of a column from its distinct values (each with its count and class). */
export function decideType(
  entries: Iterable<[string, { count: number; cls: ValueClass }]>,
  nonNull: number,
): TypeGuess {
  const t = new TypeTally();
  for (const [v, { count, cls }] of entries) t.add(v, count, cls);
  return t.decide(nonNull);
}
