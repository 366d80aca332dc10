/**
 * Column profiles over all rows: null and distinct counts, min/max, top values, length range,
 * histograms for numbers and dates, the inferred type, and a suggested key. Distinct values are
 * classified once each, so a million rows with a few thousand distinct values costs little.
 * Memory is bounded: past a shared cap on distinct values, the column keeping the most turns
 * to sketches (column-accumulator.ts) and its figures become estimates (`estimated`).
 */
import { ColumnAccumulator, type Sketch } from './column-accumulator';
import type { ColumnProfile, HistogramBin, TableProfile } from './profile-types';
import { formatValue } from './format';
import { dateValue, F_DATE } from './infer';
import { suggestKey } from './key-search';
import type { Batch } from './table';
import { asciiText } from './text-dict';
import { TypeTally, type TypeGuess } from './type-tally';

export type { TypeGuess } from './type-tally';
export type { ColumnProfile, HistogramBin, TableProfile } from './profile-types';

/**
 * Distinct values all of a table's columns keep exactly, together (about 60 bytes each): past
 * it, the column gaining new values fastest gives its values up for sketches.
 */
export const DISTINCT_CAP = 500_000;

/** Rows as ASCII bytes and, per cell (row * width + column), where its text starts and ends. */
export interface AsciiCells {
  bytes: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  width: number;
  length: number;
}

export class Profiler {
  private cols: ColumnAccumulator[];
  private kept = 0;
  rows = 0;

  constructor(
    readonly names: string[],
    private readonly distinctCap = DISTINCT_CAP,
  ) {
    this.cols = names.map(() => new ColumnAccumulator());
  }

  /** Adds a batch of text columns. */
  add(batch: Batch): void {
    for (let c = 0; c < this.cols.length; c++) {
      const col = batch.columns[c];
      const acc = this.cols[c];
      const before = acc.distinctKept;
      if (col.kind === 'text') {
        const values = col.values;
        for (let i = 0; i < batch.length; i++) acc.add(values[i], this.rows + i);
      } else
        for (let i = 0; i < batch.length; i++)
          acc.add(col.valid[i] ? String(col.values[i]) : null, this.rows + i);
      this.counted(acc, before);
    }
    this.rows += batch.length;
    while (this.kept > this.distinctCap) this.spillLargest();
  }

  /**
   * Adds a batch of rows as ASCII bytes with each cell's range (io/csv-raw.ts RawBatch): values
   * seen before are found from their bytes, without a string. A cell whose end is stored as
   * ~end holds doubled `quote`s, and is read as text.
   */
  addAscii(raw: AsciiCells, quote: string): void {
    const { bytes, start, end, width, length } = raw;
    const qq = quote + quote;
    for (let c = 0; c < this.cols.length; c++) {
      const acc = this.cols[c];
      const before = acc.distinctKept;
      for (let i = 0, k = c; i < length; i++, k += width) {
        const e = end[k];
        if (e >= 0) acc.addBytes(bytes, start[k], e, this.rows + i);
        else acc.add(asciiText(bytes, start[k], ~e).replaceAll(qq, quote), this.rows + i);
      }
      this.counted(acc, before);
    }
    this.rows += length;
    while (this.kept > this.distinctCap) this.spillLargest();
  }

  private counted(acc: ColumnAccumulator, before: number): void {
    const fresh = acc.distinctKept - before;
    this.kept += fresh;
    // New values per batch, over the last ten or so batches.
    acc.growth = acc.growth * 0.9 + fresh;
  }

  /**
   * Spills the column that gains new values fastest (an id keeps growing; prices and dates
   * run out of new values): the others' figures then stay exact for longest.
   */
  private spillLargest(): void {
    let pick: ColumnAccumulator | null = null;
    for (const acc of this.cols)
      if (
        acc.distinctKept > 0 &&
        (pick === null ||
          acc.growth > pick.growth ||
          (acc.growth === pick.growth && acc.distinctKept > pick.distinctKept))
      )
        pick = acc;
    this.kept -= pick!.distinctKept;
    pick!.spill(this.rows);
  }

  /** `keyRowsPerPass`: rows per pass of the key search (tests make it small to take several). */
  result(opts: { topN?: number; bins?: number; keyRowsPerPass?: number } = {}): TableProfile {
    const topN = opts.topN ?? 10;
    const bins = opts.bins ?? 10;
    const columns = this.cols.map((acc, c) =>
      acc.sketch
        ? sketchedColumn(this.names[c], acc, acc.sketch, this.rows, topN, bins)
        : exactColumn(this.names[c], acc, this.rows, topN, bins),
    );
    return {
      rows: this.rows,
      columns,
      suggestedKey: suggestKey(this.names, this.cols, columns, this.rows, opts.keyRowsPerPass),
    };
  }
}

const formatter =
  (guess: TypeGuess) =>
  (n: number): string =>
    formatValue(guess.type === 'email' ? 'string' : guess.type, n);

function exactColumn(
  name: string,
  acc: ColumnAccumulator,
  rows: number,
  topN: number,
  bins: number,
): ColumnProfile {
  const { values, counts, classes } = acc.entries();
  const nonNull = rows - acc.nulls;
  const tally = new TypeTally();
  for (let id = 0; id < values.length; id++) tally.add(values[id], counts[id], classes[id]);
  const guess = tally.decide(nonNull);
  const top = topIds(values, counts, topN);
  // Typed values for min/max/histogram.
  const typed: [number, number][] = [];
  if (guess.type === 'int' || guess.type === 'float' || guess.type === 'decimal') {
    for (let id = 0; id < values.length; id++)
      if (classes[id].num !== undefined) typed.push([classes[id].num!, counts[id]]);
  } else if ((guess.type === 'date' || guess.type === 'datetime') && guess.formats) {
    const monthFirst = tally.monthFirst();
    for (let id = 0; id < values.length; id++) {
      const d = classes[id].date;
      if (!(classes[id].flags & F_DATE) || !d) continue;
      const ms = monthFirst ? d.msMd : d.msDm;
      if (ms !== null) typed.push([dateValue(ms, guess.type), counts[id]]);
    }
  }
  let min: string | null = null;
  let max: string | null = null;
  let histogram: HistogramBin[] = [];
  const fmt = formatter(guess);
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
    const binCounts = new Array<number>(k).fill(0);
    for (const [n, count] of typed)
      binCounts[Math.min(k - 1, Math.floor((n - lo) / width))] += count;
    histogram = binCounts.map((count, b) => ({
      from: fmt(lo + b * width),
      to: fmt(b === k - 1 ? hi : lo + (b + 1) * width),
      count,
    }));
  } else if (values.length) {
    let lo = values[0].trim();
    let hi = lo;
    for (const v of values) {
      const t = v.trim();
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    min = lo;
    max = hi;
  }
  return {
    name,
    guess,
    rows,
    nullCount: acc.nulls,
    distinctCount: values.length,
    distinctCapped: false,
    min,
    max,
    topValues: top.map((id) => ({ value: values[id], count: counts[id] })),
    lengthMin: values.length ? acc.lenMin : null,
    lengthMax: values.length ? acc.lenMax : null,
    histogram,
  };
}

/** The ids of the `n` largest counts, most frequent first (ties in text order), in one pass. */
function topIds(values: string[], counts: Int32Array, n: number): number[] {
  const before = (a: number, b: number): boolean =>
    counts[a] > counts[b] || (counts[a] === counts[b] && values[a] < values[b]);
  const top: number[] = [];
  for (let id = 0; id < values.length; id++) {
    if (top.length === n && !before(id, top[n - 1])) continue;
    let at = top.length === n ? n - 1 : top.length;
    while (at > 0 && before(id, top[at - 1])) {
      top[at] = top[at - 1];
      at--;
    }
    top[at] = id;
  }
  return top;
}

function sketchedColumn(
  name: string,
  acc: ColumnAccumulator,
  s: Sketch,
  rows: number,
  topN: number,
  bins: number,
): ColumnProfile {
  const guess = s.tally.decide(rows - acc.nulls);
  const fmt = formatter(guess);
  let min: string | null = s.textMin;
  let max: string | null = s.textMax;
  let histogram: HistogramBin[] = [];
  const numeric = guess.type === 'int' || guess.type === 'float' || guess.type === 'decimal';
  const dated = (guess.type === 'date' || guess.type === 'datetime') && guess.formats;
  const h = numeric ? s.nums : dated ? (s.tally.monthFirst() ? s.md : s.dm) : null;
  if (h && h.total > 0) {
    const type = guess.type;
    const value = (ms: number): number =>
      type === 'date' || type === 'datetime' ? dateValue(ms, type) : ms;
    min = fmt(value(h.min));
    max = fmt(value(h.max));
    histogram = h.bins(bins, (n) => fmt(value(n)));
  }
  return {
    name,
    guess,
    rows,
    nullCount: acc.nulls,
    distinctCount: s.distinct.estimate(),
    distinctCapped: true,
    min,
    max,
    topValues: s.top.top(topN),
    lengthMin: rows > acc.nulls ? acc.lenMin : null,
    lengthMax: rows > acc.nulls ? acc.lenMax : null,
    histogram,
  };
}
