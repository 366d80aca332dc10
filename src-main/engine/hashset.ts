/**
 * A set of numbers in flat typed arrays (open addressing). A JavaScript Set of a million large
 * numbers allocates a heap object per number; this keeps them in one Float64Array.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

export class NumberSet {
  private keys: Float64Array;
  private used: Uint8Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.keys = new Float64Array(cap);
    this.used = new Uint8Array(cap);
    this.mask = cap - 1;
  }

  private slot(k: number): number {
    f64[0] = k === 0 ? 0 : k; // -0 and 0 are one key, as in Set
    let h = Math.imul(u32[0] ^ Math.imul(u32[1], 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    let i = h & this.mask;
    while (this.used[i] && this.keys[i] !== k && !(k !== k && this.keys[i] !== this.keys[i]))
      i = (i + 1) & this.mask;
    return i;
  }

  has(k: number): boolean {
    return this.used[this.slot(k)] === 1;
  }

  /** Adds k; returns false when it was already there. */
  add(k: number): boolean {
    const i = this.slot(k);
    if (this.used[i]) return false;
    this.used[i] = 1;
    this.keys[i] = k;
    if (++this.size * 2 > this.keys.length) this.grow();
    return true;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldUsed = this.used;
    this.keys = new Float64Array(oldKeys.length * 2);
    this.used = new Uint8Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    for (let i = 0; i < oldKeys.length; i++) {
      if (!oldUsed[i]) continue;
      const j = this.slot(oldKeys[i]);
      this.used[j] = 1;
      this.keys[j] = oldKeys[i];
    }
  }
}

/** A set of row keys: numbers in a NumberSet, strings in a Set. */
export class KeySet {
  private nums = new NumberSet();
  private strs = new Set<string>();
  /** Adds k; returns false when it was already there. */
  add(k: number | string): boolean {
    if (typeof k === 'number') return this.nums.add(k);
    if (this.strs.has(k)) return false;
    this.strs.add(k);
    return true;
  }
  has(k: number | string): boolean {
    return typeof k === 'number' ? this.nums.has(k) : this.strs.has(k);
  }
}

/** Storage of one tuple component: nothing while every value is 0, then int32, then float64. */
const ZERO = 0;
const I32 = 1;
const F64 = 2;
const PAGE_BITS = 16;
const PAGE = 1 << PAGE_BITS;

/** A hash of a number that equal numbers share (0 and -0, every NaN), whatever their storage. */
function hashNum(v: number): number {
  if ((v | 0) === v) return v | 0;
  if (v !== v) return 0x7ff80000;
  f64[0] = v;
  return u32[0] ^ Math.imul(u32[1], 0x9e3779b1);
}

/**
 * Tuples of numbers, each given a dense id (0, 1, 2... in order of first appearance). Tuples
 * are kept column by column in pages of typed arrays, in the narrowest form that holds every
 * value so far (no storage while a component is always 0, then int32, then float64), so ten
 * million three-integer keys take under 200 MB, where a Set of joined strings takes several
 * times that. Numbers compare as in a Set: 0 equals -0, NaN equals NaN.
 *
 *   const s = new TupleSet(2); s.add([a, b], 0) // the id of (a[0], b[0])
 */
export class TupleSet {
  /** How many distinct tuples were added. */
  size = 0;
  private readonly mode: number[];
  private readonly pages: (Int32Array | Float64Array)[][];
  /**
   * Open addressing. A slot holds id + 1 in its low bits (ids stay below the table's size) and
   * the high bits of the tuple's hash above them, so most tuples that differ are told apart
   * without reading their components (a cache miss each); 0 is an empty slot.
   */
  private table = new Int32Array(1024);
  private mask = 1023;

  constructor(readonly arity: number) {
    this.mode = new Array<number>(arity).fill(ZERO);
    this.pages = Array.from({ length: arity }, () => []);
  }

  /** The id of the tuple (cols[0][row], cols[1][row], ...), added when new. */
  add(cols: ArrayLike<number>[], row: number): number {
    const n = this.arity;
    let h = 0x2545f491;
    for (let k = 0; k < n; k++) h = mix(h, hashNum(cols[k][row]));
    h = fmix(h);
    const table = this.table;
    const mask = this.mask;
    const tag = h & ~mask;
    let i = h & mask;
    for (;;) {
      const slot = table[i];
      if (slot === 0) break;
      if ((slot & ~mask) === tag && this.equals((slot & mask) - 1, cols, row))
        return (slot & mask) - 1;
      i = (i + 1) & mask;
    }
    const id = this.size++;
    for (let k = 0; k < n; k++) this.store(k, id, cols[k][row]);
    table[i] = tag | (id + 1);
    if (this.size * 4 > this.table.length * 3) this.grow();
    return id;
  }

  /** The tuple's component `k` for `id`. */
  value(k: number, id: number): number {
    if (this.mode[k] === ZERO) return 0;
    return this.pages[k][id >>> PAGE_BITS][id & (PAGE - 1)];
  }

  private equals(id: number, cols: ArrayLike<number>[], row: number): boolean {
    const page = id >>> PAGE_BITS;
    const off = id & (PAGE - 1);
    for (let k = 0; k < this.arity; k++) {
      const v = cols[k][row];
      const mode = this.mode[k];
      if (mode === ZERO) {
        if (v !== 0) return false;
      } else {
        const s = this.pages[k][page][off];
        if (s !== v && (mode === I32 || s === s || v === v)) return false;
      }
    }
    return true;
  }

  private store(k: number, id: number, v: number): void {
    let mode = this.mode[k];
    if (mode === ZERO) {
      if (v === 0) return;
      mode = this.widen(k, (v | 0) === v ? I32 : F64);
    } else if (mode === I32 && (v | 0) !== v) mode = this.widen(k, F64);
    const pages = this.pages[k];
    const p = id >>> PAGE_BITS;
    if (p === pages.length)
      pages.push(mode === I32 ? new Int32Array(PAGE) : new Float64Array(PAGE));
    pages[p][id & (PAGE - 1)] = v;
  }

  /** Moves component `k` to a wider storage, keeping the values of the ids so far. */
  private widen(k: number, to: number): number {
    const from = this.mode[k];
    const pages = this.pages[k];
    const needed = (this.size + PAGE - 1) >>> PAGE_BITS; // this.size counts the id being stored
    for (let p = 0; p < needed; p++) {
      const wide = to === I32 ? new Int32Array(PAGE) : new Float64Array(PAGE);
      if (from !== ZERO && p < pages.length) wide.set(pages[p]);
      pages[p] = wide;
    }
    this.mode[k] = to;
    return to;
  }

  private grow(): void {
    // Four times while small, then twice: fewer rehashes of the early ids, no overshoot late.
    const factor = this.table.length < 1 << 22 ? 4 : 2;
    const table = new Int32Array(this.table.length * factor);
    const mask = table.length - 1;
    const n = this.arity;
    const hashes = new Int32Array(Math.min(PAGE, this.size));
    // Page by page: each component's values are read in order, and hashed once.
    for (let first = 0; first < this.size; first += PAGE) {
      const count = Math.min(PAGE, this.size - first);
      hashes.fill(0x2545f491, 0, count);
      for (let k = 0; k < n; k++) {
        if (this.mode[k] === ZERO) {
          for (let j = 0; j < count; j++) hashes[j] = mix(hashes[j], 0);
          continue;
        }
        const page = this.pages[k][first >>> PAGE_BITS];
        for (let j = 0; j < count; j++) hashes[j] = mix(hashes[j], hashNum(page[j]));
      }
      for (let j = 0; j < count; j++) {
        const h = fmix(hashes[j]);
        let i = h & mask;
        while (table[i] !== 0) i = (i + 1) & mask;
        table[i] = (h & ~mask) | (first + j + 1);
      }
    }
    this.table = table;
    this.mask = mask;
  }
}

/** One round of murmur3's mixing of x into h (shared by the engine's hashes). */
export function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0xcc9e2d51);
  return Math.imul((h << 15) | (h >>> 17), 0x1b873593);
}

/** murmur3's finalizer: every bit of h moves every bit of the result. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
