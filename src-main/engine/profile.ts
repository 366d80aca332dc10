/**
 * Column profiles over all rows: null and distinct counts, min/max, top values, length range,
 * histograms for numbers and dates, the inferred type, and a suggested key. Distinct values are
 * classified once each, so a million rows with a few thousand distinct values costs little.
 */
import { formatValue } from './format';
import {
  classify,
  decideType,
  F_DATE,
  parseWithFormats,
  type TypeGuess,
  type ValueClass,
} from './infer';
import type { Batch } from './table';

/** Beyond this many distinct values a column stops counting new ones exactly. */
const DISTINCT_CAP = 2_000_000;
/** The same tokens the nullify step removes by default (compared in lower case). */
const NULL_TOKENS = new Set(['', 'n/a', '#n/a', 'null']);

export interface HistogramBin {
  from: string;
  to: string;
  count: number;
}

export interface ColumnProfile {
  name: string;
  guess: TypeGuess;
  rows: number;
  nullCount: number;
  distinctCount: number;
  /** True when there were more distinct values than could be counted exactly. */
  distinctCapped: boolean;
  min: string | null;
  max: string | null;
  topValues: { value: string; count: number }[];
  lengthMin: number | null;
  lengthMax: number | null;
  histogram: HistogramBin[];
}

export interface TableProfile {
  rows: number;
  columns: ColumnProfile[];
  /** The smallest set of columns (up to three) that is unique and never null, if any. */
  suggestedKey: string[] | null;
}

interface Entry {
  count: number;
  cls: ValueClass;
  id: number;
}

class ColumnAccumulator {
  readonly values = new Map<string, Entry>();
  nulls = 0;
  capped = false;
  overflow = 0;
  lenMin = Infinity;
  lenMax = -Infinity;
  /** Per row: the id of its distinct value (-1 for null), for key search. */
  ids: Int32Array = new Int32Array(1024);

  add(v: string | null, row: number): void {
    if (row >= this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    if (v === null) {
      this.nulls++;
      this.ids[row] = -1;
      return;
    }
    let e = this.values.get(v);
    if (e === undefined) {
      const t = v.trim();
      if (NULL_TOKENS.has(t.toLowerCase())) {
        this.nulls++;
        this.ids[row] = -1;
        return;
      }
      if (this.values.size >= DISTINCT_CAP) {
        this.capped = true;
        this.overflow++;
        this.ids[row] = -2;
        return;
      }
      e = { count: 0, cls: classify(t), id: this.values.size };
      this.values.set(v, e);
      if (t.length < this.lenMin) this.lenMin = t.length;
      if (t.length > this.lenMax) this.lenMax = t.length;
    }
    e.count++;
    this.ids[row] = e.id;
  }
}

export class Profiler {
  private cols: ColumnAccumulator[];
  rows = 0;

  constructor(readonly names: string[]) {
    this.cols = names.map(() => new ColumnAccumulator());
  }

  /** Adds a batch of text columns. */
  add(batch: Batch): void {
    for (let c = 0; c < this.cols.length; c++) {
      const col = batch.columns[c];
      const acc = this.cols[c];
      for (let i = 0; i < batch.length; i++) {
        const v = col.kind === 'text' ? col.values[i] : col.valid[i] ? String(col.values[i]) : null;
        acc.add(v, this.rows + i);
      }
    }
    this.rows += batch.length;
  }

  result(opts: { topN?: number; bins?: number } = {}): TableProfile {
    const columns = this.cols.map((acc, c) =>
      profileColumn(this.names[c], acc, this.rows, opts.topN ?? 10, opts.bins ?? 10),
    );
    return {
      rows: this.rows,
      columns,
      suggestedKey: suggestKey(this.names, this.cols, columns, this.rows),
    };
  }
}

function profileColumn(
  name: string,
  acc: ColumnAccumulator,
  rows: number,
  topN: number,
  bins: number,
): ColumnProfile {
  const nonNull = rows - acc.nulls - acc.overflow;
  const guess = decideType(
    [...acc.values.entries()].map(
      ([v, e]) =>
        [v, { count: e.count, cls: e.cls }] as [string, { count: number; cls: ValueClass }],
    ),
    nonNull,
  );
  const top = [...acc.values.entries()]
    .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
    .slice(0, topN);
  // Typed values for min/max/histogram.
  const typed: [number, number][] = [];
  if (guess.type === 'int' || guess.type === 'float' || guess.type === 'decimal') {
    for (const e of acc.values.values())
      if (e.cls.num !== undefined) typed.push([e.cls.num, e.count]);
  } else if ((guess.type === 'date' || guess.type === 'datetime') && guess.formats) {
    for (const [v, e] of acc.values) {
      if (!(e.cls.flags & F_DATE)) continue;
      const n = parseWithFormats(v, guess.formats, guess.type);
      if (n !== null) typed.push([n, e.count]);
    }
  }
  let min: string | null = null;
  let max: string | null = null;
  let histogram: HistogramBin[] = [];
  const fmt = (n: number): string => formatValue(guess.type === 'email' ? 'string' : guess.type, n);
  if (typed.length) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const [n] of typed) {
      if (n < lo) lo = n;
      if (n > hi) hi = n;
    }
    min = fmt(lo);
    max = fmt(hi);
    const k = lo === hi ? 1 : bins;
    const width = (hi - lo) / k || 1;
    const counts = new Array<number>(k).fill(0);
    for (const [n, count] of typed) counts[Math.min(k - 1, Math.floor((n - lo) / width))] += count;
    histogram = counts.map((count, b) => ({
      from: fmt(lo + b * width),
      to: fmt(b === k - 1 ? hi : lo + (b + 1) * width),
      count,
    }));
  } else if (acc.values.size) {
    const sorted = [...acc.values.keys()].map((v) => v.trim()).sort();
    min = sorted[0];
    max = sorted[sorted.length - 1];
  }
  return {
    name,
    guess,
    rows,
    nullCount: acc.nulls,
    distinctCount: acc.values.size + (acc.capped ? acc.overflow : 0),
    distinctCapped: acc.capped,
    min,
    max,
    topValues: top.map(([value, e]) => ({ value, count: e.count })),
    lengthMin: acc.values.size ? acc.lenMin : null,
    lengthMax: acc.values.size ? acc.lenMax : null,
    histogram,
  };
}

/**
 * The smallest set of columns, up to three, that is unique and has no nulls. Among sets of the
 * same size the leftmost wins: keys usually come first in a table.
 */
function suggestKey(
  names: string[],
  cols: ColumnAccumulator[],
  profiles: ColumnProfile[],
  rows: number,
): string[] | null {
  if (rows === 0) return null;
  const candidates = profiles.flatMap((p, i) =>
    p.nullCount === 0 && !p.distinctCapped ? [i] : [],
  );
  for (const i of candidates) if (profiles[i].distinctCount === rows) return [names[i]];
  const unique = (set: number[]): boolean => {
    const product = set.reduce((s, i) => s * Math.max(1, profiles[i].distinctCount), 1);
    if (product < rows) return false;
    const seen = new Set<number | string>();
    const ids = set.map((i) => cols[i].ids);
    const exact = product < Number.MAX_SAFE_INTEGER;
    const sizes = set.map((i) => profiles[i].distinctCount);
    for (let r = 0; r < rows; r++) {
      let key: number | string;
      if (exact) {
        key = 0;
        for (let k = 0; k < ids.length; k++) key = key * sizes[k] + ids[k][r];
      } else key = ids.map((a) => a[r]).join(',');
      if (seen.has(key)) return false;
      seen.add(key);
    }
    return true;
  };
  for (let a = 0; a < candidates.length; a++)
    for (let b = a + 1; b < candidates.length; b++)
      if (unique([candidates[a], candidates[b]]))
        return [names[candidates[a]], names[candidates[b]]];
  let checks = 0;
  for (let a = 0; a < candidates.length; a++)
    for (let b = a + 1; b < candidates.length; b++)
      for (let c = b + 1; c < candidates.length; c++) {
        if (++checks > 200) return null;
        if (unique([candidates[a], candidates[b], candidates[c]]))
          return [candidates[a], candidates[b], candidates[c]].map((i) => names[i]);
      }
  return null;
}
