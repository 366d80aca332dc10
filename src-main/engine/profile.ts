/**
 * Column profiles over all rows: null and distinct counts, min/max, top values, length range,
 * histograms for numbers and dates, the inferred type, and a suggested key. Distinct values are
 * classified once each, so a million rows with a few thousand distinct values costs little.
 * Memory is bounded: past a shared cap on distinct values, the column keeping the most turns
 * to sketches (column-accumulator.ts) and its figures become estimates (`estimated`).
 */
import { ColumnAccumulator, type KeptValues, type Sketch } from './column-accumulator';
import type { ColumnProfile, HistogramBin, TableProfile } from './profile-types';
import { formatValue } from './format';
import { dateValue, F_DATE } from './infer';
import { suggestKey, type KeyCodes, type KeyStats } from './key-search';
import type { CodeStore, RowCodes } from './row-codes';
import type { Batch } from './table';
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

/** One column's profile worked out on another thread, with its per-row codes for the key search. */
export interface ColumnPart {
  index: number;
  profile: ColumnProfile;
  codes: RowCodes | null;
  /** Each value on consecutive rows only (ColumnAccumulator.clustered). */
  clustered?: boolean;
}

/**
 * What the key search needs of one column (its codes, nulls and distinct count), which a split
 * profile has before the column's profile is worked out: the search need not wait for that.
 */
export interface KeyPart extends KeyCodes, KeyStats {
  index: number;
}

/** A column's standing after a batch, as the spill decision reads it. */
const KEPT = 0;
const GROWTH = 1;

export class Profiler {
  /** Null for a column that another Profiler (on another thread) accumulates. */
  private cols: (ColumnAccumulator | null)[];
  /** Per column [distinct kept, growth] of the columns accumulated elsewhere (`settle`). */
  private readonly remote: Float64Array;
  rows = 0;

  /**
   * `own`: the columns this one accumulates (all by default). With fewer, the caller settles
   * each batch with the others' standing (`standing`, `settle`), so that the spill decisions,
   * which weigh every column, are the ones a single Profiler would make. `store`: where the
   * columns' per-row codes go (row-codes.ts; in memory by default), and the key search's
   * fingerprints of its later passes.
   */
  constructor(
    readonly names: string[],
    private readonly distinctCap = DISTINCT_CAP,
    own: (column: number) => boolean = () => true,
    private readonly store?: CodeStore,
  ) {
    this.cols = names.map((_, c) => (own(c) ? new ColumnAccumulator(store) : null));
    this.remote = new Float64Array(names.length * 2);
    this.split = this.cols.some((c) => c === null);
  }

  private split: boolean;

  /**
   * Gives up the columns `own` does not name (another Profiler, which took the same batches so
   * far, carries on with them): from now on the caller settles each batch (`settle`).
   */
  keepOnly(own: (column: number) => boolean): void {
    this.cols = this.cols.map((acc, c) => (own(c) ? acc : null));
    this.split = true;
  }

  /**
   * Adds a batch of text columns. `spent`: per column, the milliseconds it took are added
   * there (how a split profile shares the columns out between its threads).
   */
  add(batch: Batch, spent?: Float64Array): void {
    for (let c = 0; c < this.cols.length; c++) {
      const acc = this.cols[c];
      if (acc === null) continue;
      const t = spent ? performance.now() : 0;
      const col = batch.columns[c];
      const before = acc.distinctKept;
      if (col.kind === 'text') {
        const values = col.values;
        for (let i = 0; i < batch.length; i++) acc.add(values[i]);
      } else
        for (let i = 0; i < batch.length; i++) acc.add(col.valid[i] ? String(col.values[i]) : null);
      counted(acc, before);
      if (spent) spent[c] += performance.now() - t;
    }
    this.rows += batch.length;
    if (!this.split) this.settle();
  }

  /**
   * Adds a batch of rows as ASCII bytes with each cell's range (io/csv-raw.ts RawBatch): values
   * seen before are found from their bytes, without a string. A cell whose end is stored as
   * ~end holds doubled `quote`s, and is read as text. `spent`: as add's.
   */
  addAscii(raw: AsciiCells, quote: string, spent?: Float64Array): void {
    const { bytes, start, end, width, length } = raw;
    for (let c = 0; c < this.cols.length; c++) {
      const acc = this.cols[c];
      if (acc === null) continue;
      const t = spent ? performance.now() : 0;
      const before = acc.distinctKept;
      acc.addCells(bytes, start, end, c, width, length, quote);
      counted(acc, before);
      if (spent) spent[c] += performance.now() - t;
    }
    this.rows += length;
    if (!this.split) this.settle();
  }

  /** This one's columns' standing after the last batch: per column [distinct kept, growth]. */
  standing(into: Float64Array = new Float64Array(this.cols.length * 2)): Float64Array {
    this.cols.forEach((acc, c) => {
      if (acc === null) return;
      into[2 * c + KEPT] = acc.distinctKept;
      into[2 * c + GROWTH] = acc.growth;
    });
    return into;
  }

  /**
   * Spills, while the columns together keep more distinct values than the cap, the column
   * that gains new values fastest (an id keeps growing; prices and dates run out of new
   * values): the others' figures then stay exact for longest. `others`: the standing of the
   * columns accumulated elsewhere after the same batch; they spill there on the same choice.
   */
  settle(others?: Float64Array): void {
    if (others)
      for (let c = 0; c < this.cols.length; c++)
        if (this.cols[c] === null) {
          this.remote[2 * c + KEPT] = others[2 * c + KEPT];
          this.remote[2 * c + GROWTH] = others[2 * c + GROWTH];
        }
    const kept = (c: number): number => this.cols[c]?.distinctKept ?? this.remote[2 * c + KEPT];
    const growth = (c: number): number => this.cols[c]?.growth ?? this.remote[2 * c + GROWTH];
    let total = 0;
    for (let c = 0; c < this.cols.length; c++) total += kept(c);
    while (total > this.distinctCap) {
      let pick = -1;
      for (let c = 0; c < this.cols.length; c++)
        if (
          kept(c) > 0 &&
          (pick < 0 ||
            growth(c) > growth(pick) ||
            (growth(c) === growth(pick) && kept(c) > kept(pick)))
        )
          pick = c;
      total -= kept(pick);
      const acc = this.cols[pick];
      if (acc) acc.spill();
      else this.remote[2 * pick + KEPT] = 0;
    }
  }

  /** The profiles of this one's columns, with their codes (to hand to the Profiler of the rest). */
  parts(opts: { topN?: number; bins?: number } = {}): ColumnPart[] {
    const parts: ColumnPart[] = [];
    this.cols.forEach((acc, index) => {
      if (acc === null) return;
      parts.push({
        index,
        profile: this.column(index, acc, opts),
        codes: acc.codes,
        clustered: acc.clustered,
      });
    });
    return parts;
  }

  private column(
    c: number,
    acc: ColumnAccumulator,
    opts: { topN?: number; bins?: number },
  ): ColumnProfile {
    const topN = opts.topN ?? 10;
    const bins = opts.bins ?? 10;
    return acc.sketch
      ? sketchedColumn(this.names[c], acc, acc.sketch, this.rows, topN, bins)
      : exactColumn(this.names[c], acc, this.rows, topN, bins);
  }

  /**
   * `keyRowsPerPass`: rows per pass of the key search (tests make it small to take several).
   * `others`: the parts of the columns accumulated elsewhere (`parts` there).
   */
  result(
    opts: { topN?: number; bins?: number; keyRowsPerPass?: number } = {},
    others: ColumnPart[] = [],
  ): TableProfile {
    return this.combine([...this.parts(opts), ...others], opts);
  }

  /** The table's profile from every column's part, this one's and the others'. */
  combine(parts: ColumnPart[], opts: { keyRowsPerPass?: number } = {}): TableProfile {
    const keys = parts.map(({ index, codes, clustered, profile: p }) => ({
      index,
      codes,
      clustered,
      nullCount: p.nullCount,
      distinctCount: p.distinctCount,
      distinctCapped: p.distinctCapped,
    }));
    return this.assemble(parts, this.key(keys, opts));
  }

  /** What the key search needs of this one's columns (`key`), before their profiles. */
  keyParts(): KeyPart[] {
    const parts: KeyPart[] = [];
    this.cols.forEach((acc, index) => {
      if (acc === null) return;
      parts.push({
        index,
        codes: acc.codes,
        clustered: acc.clustered,
        nullCount: acc.nulls,
        distinctCount: acc.sketch ? acc.sketch.distinct.estimate() : acc.distinctKept,
        distinctCapped: acc.sketch !== null,
      });
    });
    return parts;
  }

  /** The suggested key, from every column's key part (this one's and the others'). */
  key(parts: KeyPart[], opts: { keyRowsPerPass?: number } = {}): string[] | null {
    const cols = this.every(parts);
    return suggestKey(this.names, cols, cols, this.rows, opts.keyRowsPerPass, this.store);
  }

  /**
   * The table's profile from every column's profile (this one's, which a split profile works
   * out while the other thread works out its own, and the others') and the key.
   */
  assemble(parts: { index: number; profile: ColumnProfile }[], key: string[] | null): TableProfile {
    return { rows: this.rows, columns: this.every(parts).map((p) => p.profile), suggestedKey: key };
  }

  /** One part per column, in column order. */
  private every<T extends { index: number }>(parts: T[]): T[] {
    const all = new Array<T>(this.cols.length);
    for (const p of parts) all[p.index] = p;
    for (let c = 0; c < this.cols.length; c++)
      if (all[c] === undefined)
        throw new Error('a profile split across threads is missing a column');
    return all;
  }
}

function counted(acc: ColumnAccumulator, before: number): void {
  // New values per batch, over the last ten or so batches.
  acc.growth = acc.growth * 0.9 + (acc.distinctKept - before);
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
  const kept = acc.kept();
  const { size, counts, flags, nums, dates, text } = kept;
  const nonNull = rows - acc.nulls;
  const tally = new TypeTally();
  for (let id = 0; id < size; id++) tally.addId(id, counts[id], flags[id], dates.get(id), text);
  const guess = tally.decide(nonNull);
  const top = topIds(kept, topN);
  // Typed values for min/max/histogram, with their counts, in flat arrays: a pair array per
  // value was megabytes of heap at hundreds of thousands of distinct values.
  const typedNum = new Float64Array(size);
  const typedCount = new Int32Array(size);
  let typed = 0;
  if (guess.type === 'int' || guess.type === 'float' || guess.type === 'decimal') {
    for (let id = 0; id < size; id++) {
      const num = nums[id];
      if (Number.isNaN(num)) continue;
      typedNum[typed] = num;
      typedCount[typed++] = counts[id];
    }
  } else if ((guess.type === 'date' || guess.type === 'datetime') && guess.formats) {
    const monthFirst = tally.monthFirst();
    for (let id = 0; id < size; id++) {
      const d = dates.get(id);
      if (!(flags[id] & F_DATE) || !d) continue;
      const ms = monthFirst ? d.msMd : d.msDm;
      if (ms === null) continue;
      typedNum[typed] = dateValue(ms, guess.type);
      typedCount[typed++] = counts[id];
    }
  }
  let min: string | null = null;
  let max: string | null = null;
  let histogram: HistogramBin[] = [];
  const fmt = formatter(guess);
  if (typed) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < typed; i++) {
      const n = typedNum[i];
      if (n < lo) lo = n;
      if (n > hi) hi = n;
    }
    min = fmt(lo);
    max = fmt(hi);
    const k = lo === hi ? 1 : bins;
    const width = (hi - lo) / k || 1;
    const binCounts = new Array<number>(k).fill(0);
    for (let i = 0; i < typed; i++)
      binCounts[Math.min(k - 1, Math.floor((typedNum[i] - lo) / width))] += typedCount[i];
    histogram = binCounts.map((count, b) => ({
      from: fmt(lo + b * width),
      to: fmt(b === k - 1 ? hi : lo + (b + 1) * width),
      count,
    }));
  } else if (size) {
    let lo = text(0).trim();
    let hi = lo;
    for (let id = 0; id < size; id++) {
      const t = text(id).trim();
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
    distinctCount: size,
    distinctCapped: false,
    min,
    max,
    topValues: top.map((id) => ({ value: text(id), count: counts[id] })),
    lengthMin: size ? acc.lenMin : null,
    lengthMax: size ? acc.lenMax : null,
    histogram,
  };
}

/** The ids of the `n` largest counts, most frequent first (ties in text order), in one pass. */
function topIds({ size, counts, text }: KeptValues, n: number): number[] {
  const before = (a: number, b: number): boolean =>
    counts[a] > counts[b] || (counts[a] === counts[b] && text(a) < text(b));
  const top: number[] = [];
  for (let id = 0; id < size; id++) {
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
