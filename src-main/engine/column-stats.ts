/**
 * The profile of one column of a step's data, whose type is known (the preview's columns are
 * typed): empty share, distinct values, min and max in the type's order, top values, and for
 * numbers and dates a histogram whose bins each say the smallest and largest value they hold,
 * so that a bin turned into a range facet matches exactly the rows it counted. Text columns
 * also say what inference would make of them (a date in M/d/yyyy, say).
 */
import { MS_PER_DAY } from './dates';
import { facetText } from './facets';
import { formatValue } from './format';
import { classify, type ValueClass } from './infer';
import { decideType } from './type-tally';
import type { ColumnProfile, HistogramBin } from './profile';
import type { ColumnType } from '../../src-shared/recipe/steps';
import type { Value } from './table';

/** Beyond this many distinct values a column stops counting new ones (as profile.ts does). */
const DISTINCT_CAP = 2_000_000;
const NUMERIC = new Set(['int', 'float', 'decimal']);

/** A typed cell as a number for the histogram: numbers, and ISO dates as days or ms. */
function numberOf(type: string, v: Value): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  if (type === 'date') {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? null : Math.floor(ms / MS_PER_DAY);
  }
  if (type === 'datetime') {
    const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : v + 'Z');
    return Number.isNaN(ms) ? null : ms;
  }
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : null;
}

export class ColumnStats {
  readonly counts = new Map<string, number>();
  rows = 0;
  nulls = 0;
  capped = false;
  overflow = 0;
  /** Numbers and dates: each distinct value as a number, with its count. */
  private readonly nums = new Map<number, number>();
  private readonly histogrammed: boolean;

  constructor(
    readonly name: string,
    readonly type: string,
  ) {
    this.histogrammed = NUMERIC.has(type) || type === 'date' || type === 'datetime';
  }

  add(v: Value): void {
    this.rows++;
    const t = facetText(v);
    if (t === null) {
      this.nulls++;
      return;
    }
    const c = this.counts.get(t);
    if (c !== undefined) this.counts.set(t, c + 1);
    else if (this.counts.size >= DISTINCT_CAP) {
      this.capped = true;
      this.overflow++;
    } else this.counts.set(t, 1);
    if (this.histogrammed) {
      const n = numberOf(this.type, v);
      if (n !== null) this.nums.set(n, (this.nums.get(n) ?? 0) + 1);
    }
  }

  result(topN = 10, bins = 10): ColumnProfile {
    const entries = [...this.counts.entries()];
    const top = entries
      .slice()
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, topN);
    let lenMin = Infinity;
    let lenMax = -Infinity;
    for (const [v] of entries) {
      if (v.length < lenMin) lenMin = v.length;
      if (v.length > lenMax) lenMax = v.length;
    }
    const fmt = (n: number): string =>
      formatValue(this.type as ColumnType, this.type === 'date' ? Math.floor(n) : n);
    let min: string | null = null;
    let max: string | null = null;
    let histogram: HistogramBin[] = [];
    if (this.histogrammed && this.nums.size) {
      const sorted = [...this.nums.entries()].sort((a, b) => a[0] - b[0]);
      min = fmt(sorted[0][0]);
      max = fmt(sorted[sorted.length - 1][0]);
      histogram = binned(sorted, bins, fmt);
    }
    const guess = this.guess();
    if (!histogram.length && entries.length) {
      // Text that reads as numbers is ordered as numbers ("999" before "1000").
      const numeric = guess.type === 'int' || guess.type === 'float' || guess.type === 'decimal';
      const key = (v: string): number | string => (numeric ? Number(v) : v);
      let lo = entries[0][0];
      let hi = lo;
      for (const [v] of entries) {
        const k = key(v);
        if (!(Number.isNaN(k) || k >= key(lo))) lo = v;
        if (!(Number.isNaN(k) || k <= key(hi))) hi = v;
      }
      min = lo;
      max = hi;
    }
    return {
      name: this.name,
      guess,
      rows: this.rows,
      nullCount: this.nulls,
      distinctCount: this.counts.size + (this.capped ? this.overflow : 0),
      distinctCapped: this.capped,
      min,
      max,
      topValues: top.map(([value, count]) => ({ value, count })),
      lengthMin: entries.length ? lenMin : null,
      lengthMax: entries.length ? lenMax : null,
      histogram,
    };
  }

  /** Typed columns are what they are; text says what its values look like. */
  private guess(): ColumnProfile['guess'] {
    if (this.type !== 'string')
      return { type: this.type as ColumnType, confidence: 1, misfits: [] };
    const classes: [string, { count: number; cls: ValueClass }][] = [];
    for (const [v, count] of this.counts) classes.push([v, { count, cls: classify(v.trim()) }]);
    return decideType(classes, this.rows - this.nulls - this.overflow);
  }
}

/**
 * Up to `bins` equal-width bins over sorted [value, count] pairs; each bin's from and to are the
 * smallest and largest values in it (an empty bin gives its edges). Few distinct values: a bin
 * each.
 */
function binned(
  sorted: [number, number][],
  bins: number,
  fmt: (n: number) => string,
): HistogramBin[] {
  if (sorted.length <= bins)
    return sorted.map(([n, count]) => ({ from: fmt(n), to: fmt(n), count }));
  const lo = sorted[0][0];
  const hi = sorted[sorted.length - 1][0];
  const width = (hi - lo) / bins;
  const out: { lo: number | null; hi: number | null; count: number }[] = Array.from(
    { length: bins },
    () => ({ lo: null, hi: null, count: 0 }),
  );
  for (const [n, count] of sorted) {
    const b = out[Math.min(bins - 1, Math.floor((n - lo) / width))];
    b.lo ??= n;
    b.hi = n;
    b.count += count;
  }
  return out.map((b, i) => ({
    from: fmt(b.lo ?? lo + i * width),
    to: fmt(b.hi ?? lo + (i + 1) * width),
    count: b.count,
  }));
}
