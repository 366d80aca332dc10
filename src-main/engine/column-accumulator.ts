/**
 * One column's running profile. While the table's columns together hold fewer distinct values
 * than their shared cap, a column keeps each distinct value with its count and class, so its
 * figures are exact; past the cap, the column keeping the most gives its values up for
 * sketches (spill): a HyperLogLog distinct count, Misra-Gries top values, type totals and
 * fine histograms, fed one cell at a time. Those figures are then estimates, and say so.
 *
 * For the key search it also keeps, per row, a code of the row's value: the value's id while
 * exact, a 64-bit hash (two int32 arrays) once spilled. A column with a null cannot be part of
 * a key, so it stops keeping codes at its first null.
 */
import { FineHistogram } from './fine-histogram';
import { hashText, HyperLogLog } from './hyperloglog';
import { classify, type ValueClass } from './infer';
import { detach } from './table';
import { TopValues } from './top-values';
import { TypeTally } from './type-tally';

/** The same tokens the nullify step removes by default (compared in lower case). */
const NULL_TOKENS = new Set(['', 'n/a', '#n/a', 'null']);
const SEED_LO = 0x9747b28c;
const SEED_HI = 0x3c6ef372;

type Codes = Uint8Array | Uint16Array | Int32Array;

/** What a spilled column keeps instead of its values. */
export class Sketch {
  readonly distinct = new HyperLogLog();
  readonly top = new TopValues();
  readonly tally = new TypeTally();
  readonly nums = new FineHistogram();
  /** Dates' times read month-first (or year-first), and day-first. */
  readonly md = new FineHistogram();
  readonly dm = new FineHistogram();
  textMin: string | null = null;
  textMax: string | null = null;

  add(v: string, t: string, count: number, cls: ValueClass, hash: number): void {
    this.distinct.addHash(hash);
    this.top.add(v, count);
    this.tally.add(v, count, cls);
    if (cls.num !== undefined) this.nums.add(cls.num, count);
    const d = cls.date;
    if (d) {
      if (d.msMd !== null) this.md.add(d.msMd, count);
      if (d.msDm !== null) this.dm.add(d.msDm, count);
    }
    if (this.textMin === null || t < this.textMin) this.textMin = t;
    if (this.textMax === null || t > this.textMax) this.textMax = t;
  }
}

export class ColumnAccumulator {
  /** Exact: each distinct value's id; its text, count and class by id. Null once spilled. */
  index: Map<string, number> | null = new Map();
  values: string[] = [];
  counts: number[] = [];
  classes: ValueClass[] = [];
  sketch: Sketch | null = null;
  nulls = 0;
  lenMin = Infinity;
  lenMax = -Infinity;
  /** Per row, while the column has no null: the value's id, or its hash's low half once spilled. */
  codes: Codes | null = new Uint8Array(1024);
  /** Per row once spilled: the hash's high half. */
  codesHi: Int32Array | null = null;
  /** Raw texts found to be nulls (" N/A "), so a repeat is known without trimming it. */
  private readonly nullTexts = new Set<string>();

  get distinctKept(): number {
    return this.values.length;
  }

  add(v: string | null, row: number): void {
    if (this.codes !== null && row >= this.codes.length) this.codes = grow(this.codes, row);
    if (this.codesHi !== null && row >= this.codesHi.length)
      this.codesHi = grow(this.codesHi, row) as Int32Array;
    if (v === null || v === '' || this.nullTexts.has(v)) return this.addNull();
    const index = this.index;
    if (index !== null) {
      const id = index.get(v);
      if (id !== undefined) {
        this.counts[id]++;
        if (this.codes !== null) this.setCode(row, id);
        return;
      }
    }
    const t = v.trim();
    if (t.length <= 4 && NULL_TOKENS.has(t.toLowerCase())) {
      if (this.nullTexts.size < 64) this.nullTexts.add(detach(v));
      return this.addNull();
    }
    if (t.length < this.lenMin) this.lenMin = t.length;
    if (t.length > this.lenMax) this.lenMax = t.length;
    if (index !== null) {
      const id = this.values.length;
      const kept = detach(v);
      index.set(kept, id);
      this.values.push(kept);
      this.counts.push(1);
      this.classes.push(classify(t));
      if (this.codes !== null) this.setCode(row, id);
      return;
    }
    const lo = hashText(v, SEED_LO);
    this.sketch!.add(v, t, 1, classify(t), lo);
    if (this.codes !== null) {
      this.codes[row] = lo;
      this.codesHi![row] = hashText(v, SEED_HI);
    }
  }

  private addNull(): void {
    this.nulls++;
    this.codes = null;
    this.codesHi = null;
  }

  private setCode(row: number, id: number): void {
    const codes = this.codes!;
    if (id > 255 && codes.BYTES_PER_ELEMENT === 1) this.codes = widen(codes, Uint16Array);
    else if (id > 65535 && codes.BYTES_PER_ELEMENT === 2) this.codes = widen(codes, Int32Array);
    this.codes![row] = id;
  }

  /** Gives up the distinct values for a sketch, which takes them over with their counts. */
  spill(rows: number): void {
    const sketch = new Sketch();
    const lo = new Int32Array(this.values.length);
    const hi = new Int32Array(this.values.length);
    for (let id = 0; id < this.values.length; id++) {
      const v = this.values[id];
      lo[id] = hashText(v, SEED_LO);
      hi[id] = hashText(v, SEED_HI);
      sketch.add(v, v.trim(), this.counts[id], this.classes[id], lo[id]);
    }
    if (this.codes !== null) {
      const ids = this.codes;
      const codes = new Int32Array(ids.length);
      const codesHi = new Int32Array(ids.length);
      for (let r = 0; r < rows; r++) {
        codes[r] = lo[ids[r]];
        codesHi[r] = hi[ids[r]];
      }
      this.codes = codes;
      this.codesHi = codesHi;
    }
    this.sketch = sketch;
    this.index = null;
    this.values = [];
    this.counts = [];
    this.classes = [];
  }
}

function grow(a: Codes, row: number): Codes {
  let n = a.length;
  while (n <= row) n *= 2;
  const b = new (a.constructor as new (n: number) => Codes)(n);
  b.set(a);
  return b;
}

function widen(a: Codes, to: new (n: number) => Codes): Codes {
  const b = new to(a.length);
  b.set(a);
  return b;
}
