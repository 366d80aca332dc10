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
import { plainInt } from './convert';
import { FineHistogram } from './fine-histogram';
import { RowCodes, type CodeStore } from './row-codes';
import { HyperLogLog } from './hyperloglog';
import { classify, INT_CLASS, type DateShape, type ValueClass } from './infer';
import { asciiText, hashBytes, hashText, TextDict } from './text-dict';
import { TopValues } from './top-values';
import { TypeTally } from './type-tally';

/** The same tokens the nullify step removes by default (compared in lower case). */
const NULL_TOKENS = new Set(['', 'n/a', '#n/a', 'null']);
const SEED_LO = 0x9747b28c;
const SEED_HI = 0x3c6ef372;

/** What a spilled column keeps instead of its values. */
export class Sketch {
  readonly distinct = new HyperLogLog();
  readonly top = new TopValues();
  readonly tally = new TypeTally();
  readonly nums = new FineHistogram();
  /** Dates' times read month-first (or year-first), and day-first. */
  readonly md = new FineHistogram();
  readonly dm = new FineHistogram();
  readonly least = new TextBound(-1);
  readonly most = new TextBound(1);

  get textMin(): string | null {
    return this.least.value;
  }

  get textMax(): string | null {
    return this.most.value;
  }

  add(v: string, t: string, count: number, cls: ValueClass, hash: number): void {
    this.distinct.addHash(hash);
    this.top.add(hash, count, v);
    this.tally.add(v, count, cls);
    if (cls.num !== undefined) this.nums.add(cls.num, count);
    const d = cls.date;
    if (d) {
      if (d.msMd !== null) this.md.add(d.msMd, count);
      if (d.msDm !== null) this.dm.add(d.msDm, count);
    }
    this.least.offerText(t);
    this.most.offerText(t);
  }

  /**
   * Adds `count` of a value whose ASCII bytes [s, e) are plain digits, worth `num`: no string
   * made.
   */
  addPlainInt(b: Uint8Array, s: number, e: number, num: number, hash: number, count = 1): void {
    this.distinct.addHash(hash);
    this.top.add(hash, count, b, s, e);
    this.tally.addPlainInt(b, s, e, count);
    this.nums.add(num, count);
    this.least.offerBytes(b, s, e);
    this.most.offerBytes(b, s, e);
  }
}

/** Longest value a TextBound keeps as bytes; a longer one it keeps as text. */
const BOUND_BYTES = 64;

/**
 * The least (sign -1) or greatest (sign 1) text of a sketch's values, in the order of JS
 * strings. A value offered as ASCII bytes is kept as bytes, made a string only when asked: in
 * a column of ascending numbers nearly every cell is a new greatest, and making each one a
 * string took a quarter of what the column cost once spilled.
 */
export class TextBound {
  private text: string | null = null;
  private readonly bytes = new Uint8Array(BOUND_BYTES);
  /** The length of the value in `bytes`, or -1 when it is `text` (or there is none yet). */
  private length = -1;

  constructor(private readonly sign: 1 | -1) {}

  get value(): string | null {
    if (this.length >= 0) {
      this.text = asciiText(this.bytes, 0, this.length);
      this.length = -1;
    }
    return this.text;
  }

  offerText(t: string): void {
    let d: number;
    if (this.length >= 0) d = -compareBytesText(this.bytes, 0, this.length, t);
    else if (this.text === null) d = this.sign;
    else d = t < this.text ? -1 : t > this.text ? 1 : 0;
    if (d * this.sign <= 0) return;
    this.text = t;
    this.length = -1;
  }

  offerBytes(b: Uint8Array, s: number, e: number): void {
    let d: number;
    if (this.length >= 0) d = compareBytesBytes(b, s, e, this.bytes, this.length);
    else if (this.text === null) d = this.sign;
    else d = compareBytesText(b, s, e, this.text);
    if (d * this.sign <= 0) return;
    const n = e - s;
    if (n > BOUND_BYTES) {
      this.text = asciiText(b, s, e);
      this.length = -1;
      return;
    }
    for (let k = 0; k < n; k++) this.bytes[k] = b[s + k];
    this.length = n;
  }
}

/** The order of the ASCII bytes [s, e) and text t, as the text they spell compares with t. */
function compareBytesText(b: Uint8Array, s: number, e: number, t: string): number {
  const n = Math.min(e - s, t.length);
  for (let k = 0; k < n; k++) {
    const d = b[s + k] - t.charCodeAt(k);
    if (d !== 0) return d;
  }
  return e - s - t.length;
}

/** The order of the ASCII bytes [s, e) and the first `n` of `c`. */
function compareBytesBytes(b: Uint8Array, s: number, e: number, c: Uint8Array, n: number): number {
  const m = Math.min(e - s, n);
  for (let k = 0; k < m; k++) {
    const d = b[s + k] - c[k];
    if (d !== 0) return d;
  }
  return e - s - n;
}

/** The value of ASCII digits [s, e) without sign or leading zero, up to 15 of them; else -1. */
function plainIntBytes(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n > 15 || (n > 1 && b[s] === 48)) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const c = b[i] - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** A column's distinct values by id (ColumnAccumulator.kept). */
export interface KeptValues {
  size: number;
  counts: Int32Array;
  flags: Uint8Array;
  /** The number of an int/float/decimal value, else NaN. */
  nums: Float64Array;
  dates: ReadonlyMap<number, DateShape>;
  /** The text of id (made once, when first asked). */
  text: (id: number) => string;
}

export class ColumnAccumulator {
  /** Exact: each distinct value's id; its text, count and class by id. Null once spilled. */
  dict: TextDict | null = new TextDict();
  /** By id: the value's class (flags, number, date shape); the dictionary counts the rows. */
  private flags: Uint8Array = new Uint8Array(256);
  private nums: Float64Array = new Float64Array(256);
  private dates = new Map<number, DateShape>();
  sketch: Sketch | null = null;
  nulls = 0;
  /** New distinct values per batch of late (the Profiler's measure of who to spill). */
  growth = 0;
  lenMin = Infinity;
  lenMax = -Infinity;
  /** Per row, while the column has no null: the value's id, or its hash once spilled. */
  codes: RowCodes | null;
  /** Raw texts found to be nulls (" N/A "), so a repeat is known without trimming it. */
  private readonly nullTexts = new TextDict();
  /** A batch's cells' hashes (addCells). */
  private hashes = new Int32Array(0);
  /** While exact: whether each row's id is at least the last row's (see `clustered`). */
  private idsRise = true;
  private lastId = -1;
  /** Once spilled: whether every row so far held a number at least the last row's. */
  private numsRise = false;
  private lastNum = -Infinity;

  constructor(store?: CodeStore) {
    this.codes = new RowCodes(store);
  }

  /**
   * Whether each of the column's values is found on consecutive rows only (a column sorted on
   * it, as an order number often is): the key search then looks for a repeat among the rows of
   * one value at a time. While exact, a value's id is its order of first appearance, so the ids
   * never fall; once spilled, the values are numbers that never fall. Only while the column
   * keeps codes (no null): a column with a null is no key.
   */
  get clustered(): boolean {
    return this.dict !== null ? this.idsRise : this.numsRise;
  }

  get distinctKept(): number {
    return this.dict === null ? 0 : this.dict.size;
  }

  /**
   * The distinct values' counts and classes by id, as kept, and each one's text when asked:
   * a profile's end reads the classes of every value but the texts of a few (misfits, top
   * values, ties), and making 289,000 strings and two objects each took half its time.
   */
  kept(): KeptValues {
    const n = this.distinctKept;
    const dict = this.dict!;
    const texts = new Array<string | undefined>(n);
    return {
      size: n,
      counts: dict.counts(),
      flags: this.flags.subarray(0, n),
      nums: this.nums.subarray(0, n),
      dates: this.dates,
      text: (id) => (texts[id] ??= dict.text(id)),
    };
  }

  /** Adds the next row's cell, as text. */
  add(v: string | null): void {
    if (v === null || v === '') return this.addNull();
    if (this.dict === null) return this.addSketched(v, hashText(v, SEED_LO));
    const h = hashText(v, SEED_LO);
    const id = this.dict.countText(v, h);
    if (id >= 0) return this.addKnown(id);
    if (this.nullTexts.size && this.nullTexts.findText(v, h) >= 0) return this.addNull();
    this.addNew(v, h);
  }

  /**
   * Adds a batch's cells of this column, `length` rows of ASCII bytes: row i's cell at [start[k],
   * end[k]) for k = first + i * width (an end stored as ~end: the cell holds doubled `quote`s).
   * Every cell is hashed first and its slot in the dictionary read ahead, so that the cache
   * misses of a large dictionary overlap rather than come one after another.
   */
  addCells(
    b: Uint8Array,
    start: Int32Array,
    end: Int32Array,
    first: number,
    width: number,
    length: number,
    quote: string,
  ): void {
    if (this.hashes.length < length) this.hashes = new Int32Array(length);
    const hs = this.hashes;
    for (let i = 0, k = first; i < length; i++, k += width) {
      const e = end[k];
      hs[i] = e > start[k] ? hashBytes(b, start[k], e, SEED_LO) : 0;
    }
    this.dict?.touch(hs, length);
    for (let i = 0, k = first; i < length; i++, k += width) {
      const e = end[k];
      if (e >= 0) this.addHashed(b, start[k], e, hs[i]);
      else this.add(asciiText(b, start[k], ~e).replaceAll(quote + quote, quote));
    }
  }

  /**
   * Adds the next row's cell, as the ASCII bytes [s, e) of `b` whose hash (hashBytes, SEED_LO)
   * is `h`: a value seen before makes no string.
   */
  private addHashed(b: Uint8Array, s: number, e: number, h: number): void {
    if (s === e) return this.addNull();
    if (this.dict === null) {
      const num = plainIntBytes(b, s, e);
      if (num < 0) return this.addSketched(asciiText(b, s, e), h);
      const n = e - s;
      if (n < this.lenMin) this.lenMin = n;
      if (n > this.lenMax) this.lenMax = n;
      this.sketch!.addPlainInt(b, s, e, num, h);
      if (this.codes !== null) {
        this.codes.pushHash(h, hashBytes(b, s, e, SEED_HI));
        if (num < this.lastNum) this.numsRise = false;
        this.lastNum = num;
      }
      return;
    }
    const id = this.dict.countBytes(b, s, e, h);
    if (id >= 0) return this.addKnown(id);
    if (this.nullTexts.size && this.nullTexts.findBytes(b, s, e, h) >= 0) return this.addNull();
    const num = plainIntBytes(b, s, e);
    if (num >= 0) return this.addNewInt(b, s, e, num, h);
    this.addNew(asciiText(b, s, e), h);
  }

  /**
   * addNew of plain digits (plainIntBytes), from their bytes: no string is made. What addNew
   * would find: no spaces to trim, not a null token, and classify's class of an int.
   */
  private addNewInt(b: Uint8Array, s: number, e: number, num: number, h: number): void {
    const n = e - s;
    if (n < this.lenMin) this.lenMin = n;
    if (n > this.lenMax) this.lenMax = n;
    this.keepNew(this.dict!.addBytes(b, s, e, h), INT_CLASS, num);
  }

  /** A value the dictionary has, and has just counted. */
  private addKnown(id: number): void {
    if (this.codes === null) return;
    this.codes.pushId(id);
    if (id < this.lastId) this.idsRise = false;
    this.lastId = id;
  }

  /** Whether a text the column has not seen is a null token; if so it is counted as one. */
  private nullToken(v: string, t: string, h: number): boolean {
    if (t.length > 4 || !NULL_TOKENS.has(t.toLowerCase())) return false;
    if (this.nullTexts.size < 64 && this.nullTexts.findText(v, h) < 0) this.nullTexts.add(v, h);
    this.addNull();
    return true;
  }

  private addNew(v: string, h: number): void {
    const t = v.trim();
    if (this.nullToken(v, t, h)) return;
    this.lengths(t);
    const id = this.dict!.add(v, h);
    const cls = classify(t);
    this.keepNew(id, cls.flags, cls.num ?? NaN);
    if (cls.date) this.dates.set(id, cls.date);
  }

  /** Keeps new value `id` (seen once so far) with its class. */
  private keepNew(id: number, flags: number, num: number): void {
    if (id === this.flags.length) {
      this.flags = widen(this.flags, Uint8Array, id * 2) as Uint8Array;
      this.nums = wider(this.nums, id * 2);
    }
    this.flags[id] = flags;
    this.nums[id] = num;
    if (this.codes === null) return;
    this.codes.pushId(id);
    this.lastId = id;
  }

  private addSketched(v: string, lo: number): void {
    const t = v.trim();
    if (this.nullToken(v, t, lo)) return;
    this.lengths(t);
    this.sketch!.add(v, t, 1, classify(t), lo);
    if (this.codes === null) return;
    this.codes.pushHash(lo, hashText(v, SEED_HI));
    const num = plainInt(v);
    if (!(num >= this.lastNum)) this.numsRise = false;
    this.lastNum = num;
  }

  private lengths(t: string): void {
    if (t.length < this.lenMin) this.lenMin = t.length;
    if (t.length > this.lenMax) this.lenMax = t.length;
  }

  private addNull(): void {
    this.nulls++;
    this.codes = null;
  }

  /**
   * Gives up the distinct values for a sketch, which takes them over with their counts. A value
   * of plain digits goes in from its bytes, as a spilled column's cells do (addPlainInt), any
   * other from its text; `byText` sends every value through its text (the tests compare the
   * two). A column of hundreds of thousands of ids spent most of its spill making and hashing
   * their strings, while the thread that reads the file, and so the other, waited on it.
   */
  spill(byText = false): void {
    const sketch = new Sketch();
    const dict = this.dict!;
    const n = dict.size;
    const counts = dict.counts();
    const lo = new Int32Array(n);
    const hi = new Int32Array(n);
    const digits = new Uint8Array(15);
    const noDates = this.dates.size === 0;
    for (let id = 0; id < n; id++) {
      const flags = this.flags[id];
      const len = byText || flags !== INT_CLASS ? -1 : dict.digits(id, digits);
      const num = len > 0 ? plainIntBytes(digits, 0, len) : -1;
      if (num >= 0 && num === this.nums[id] && (noDates || !this.dates.has(id))) {
        lo[id] = hashBytes(digits, 0, len, SEED_LO);
        hi[id] = hashBytes(digits, 0, len, SEED_HI);
        sketch.addPlainInt(digits, 0, len, num, lo[id], counts[id]);
        continue;
      }
      const v = dict.text(id);
      lo[id] = hashText(v, SEED_LO);
      hi[id] = hashText(v, SEED_HI);
      const x = this.nums[id];
      const cls = { flags, num: Number.isNaN(x) ? undefined : x, date: this.dates.get(id) };
      sketch.add(v, v.trim(), counts[id], cls, lo[id]);
    }
    this.codes?.spill(lo, hi);
    // Clustered from here on if the values so far were numbers rising with their ids: every
    // row's then rose with the row, the ids did.
    this.numsRise = this.idsRise;
    for (let id = 0; id < n && this.numsRise; id++) {
      const x = this.nums[id];
      if (!(x > (id === 0 ? -Infinity : this.nums[id - 1]))) this.numsRise = false;
    }
    this.lastNum = n > 0 ? this.nums[n - 1] : -Infinity;
    this.sketch = sketch;
    this.dict = null;
    this.flags = new Uint8Array(0);
    this.nums = new Float64Array(0);
    this.dates.clear();
  }
}

type Ints = Uint8Array | Int32Array;

/** `a`'s values in a new array of type `to` and length `n`. */
function widen(a: Ints, to: new (n: number) => Ints, n: number): Ints {
  const b = new to(n);
  b.set(a);
  return b;
}

function wider(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}
