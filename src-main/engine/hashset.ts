/**
 * A set of numbers in flat typed arrays (open addressing). A JavaScript Set of a million large
 * numbers allocates a heap object per number; this keeps them in one Float64Array.
 */
import { RefPage } from './ref-page';

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

/** Ids per page of a component's values. */
export const PAGE_BITS = 14;
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
 * are kept column by column in pages (ref-page.ts) of offsets from each page's first value, in
 * the narrowest width that holds them: keys that come in order (an order number, its line
 * items) take one to three bytes a component, a random int32 three or four. Ten million
 * three-integer keys of the benchmark's file take about 60 MB of pages and 48 MB of table.
 * Numbers compare as in a Set: 0 equals -0, NaN equals NaN.
 *
 *   const s = new TupleSet(2); s.add([a, b], 0) // the id of (a[0], b[0])
 */
export class TupleSet {
  /** How many distinct tuples were added. */
  size = 0;
  private readonly pages: RefPage[][];
  /**
   * Open addressing. A slot holds id + 1 in its low bits (ids stay below the table's size) and
   * high bits of the tuple's hash above them, so most tuples that differ are told apart
   * without reading their components (a cache miss each); 0 is an empty slot. The table is a
   * view of a resizable buffer that grows in place: it is rebuilt from the pages, never from
   * the old table, so no second table is held while it grows.
   */
  private readonly buf: ResizableBuffer;
  private table: Int32Array;
  private idMask = 0;

  constructor(readonly arity: number) {
    this.pages = Array.from({ length: arity }, () => []);
    this.buf = new (ArrayBuffer as unknown as ResizableBufferClass)(MIN_SLOTS * 4, {
      maxByteLength: MAX_SLOTS * 4,
    });
    this.table = new Int32Array(this.buf);
    this.sized(MIN_SLOTS);
  }

  /** The id of the tuple (cols[0][row], cols[1][row], ...), added when new. */
  add(cols: ArrayLike<number>[], row: number): number {
    const n = this.arity;
    let h = 0x2545f491;
    for (let k = 0; k < n; k++) h = mix(h, hashNum(cols[k][row]));
    return this.addHashed(cols, row, fmix(h));
  }

  /**
   * Sets out[at + row] to add(cols, row) for rows 0 to count - 1. The tuples are hashed first,
   * column by column, and their home slots read ahead: in a table of millions of tuples each
   * slot is a cache miss, and a loop of reads that do not wait on one another has many under
   * way at once, where one add at a time waits for each.
   */
  addAll(cols: ArrayLike<number>[], count: number, out: Int32Array, at: number): void {
    if (this.hashes.length < count) this.hashes = new Int32Array(count);
    const hs = this.hashes;
    hs.fill(0x2545f491, 0, count);
    for (let k = 0; k < this.arity; k++) {
      const col = cols[k];
      for (let r = 0; r < count; r++) hs[r] = mix(hs[r], hashNum(col[r]));
    }
    const table = this.table;
    const len = table.length;
    let x = 0;
    for (let r = 0; r < count; r++) {
      const h = (hs[r] = fmix(hs[r]));
      x += table[home(h, len)];
    }
    this.touched = x;
    for (let r = 0; r < count; r++) out[at + r] = this.addHashed(cols, r, hs[r]);
  }

  /** Tuples' hashes (addAll), and what reading their slots ahead read (kept from the optimiser). */
  private hashes = new Int32Array(0);
  touched = 0;

  /** add of the tuple of `row`, whose hash is h. */
  private addHashed(cols: ArrayLike<number>[], row: number, h: number): number {
    const n = this.arity;
    const table = this.table;
    const len = table.length;
    const idMask = this.idMask;
    const tag = tagOf(h) & ~idMask;
    let i = home(h, len);
    for (;;) {
      const slot = table[i];
      if (slot === 0) break;
      if ((slot & ~idMask) === tag && this.equals((slot & idMask) - 1, cols, row))
        return (slot & idMask) - 1;
      if (++i === len) i = 0;
    }
    const id = this.size++;
    const p = id >>> PAGE_BITS;
    const off = id & (PAGE - 1);
    for (let k = 0; k < n; k++) {
      const pages = this.pages[k];
      if (off === 0) pages.push(new RefPage(PAGE));
      pages[p].set(off, cols[k][row]);
    }
    table[i] = tag | (id + 1);
    if (len < BIG ? this.size * 4 > len * 3 : this.size * 20 > len * 17) this.grow();
    return id;
  }

  /**
   * Makes the table big enough for `count` tuples before the first is added, so that it need
   * not grow while they come: each growth rehashes every tuple so far, and the last ones (a
   * million keys: 45 ms) come near the end of a run. Counts above MAX_RESERVE grow as usual.
   */
  reserve(count: number): void {
    if (this.size > 0 || !(count > 0)) return;
    const n = Math.min(Math.ceil(count), MAX_RESERVE);
    // Below BIG a table grows past 75% full, from BIG on past 85% (see add).
    let len = Math.ceil((n * 4) / 3) + 1;
    if (len >= BIG) len = Math.max(BIG, Math.ceil((n * 20) / 17) + 1);
    if (len > this.table.length) this.sized(len);
  }

  /** The tuple's component `k` for `id`. */
  value(k: number, id: number): number {
    return this.pages[k][id >>> PAGE_BITS].get(id & (PAGE - 1));
  }

  /** Bytes the table of slots holds. */
  get tableBytes(): number {
    return this.table.byteLength;
  }

  /** Bytes held by the pages of values (the table takes 4 a slot besides). */
  get pageBytes(): number {
    let b = 0;
    for (const pages of this.pages) for (const page of pages) b += page.bytes;
    return b;
  }

  private equals(id: number, cols: ArrayLike<number>[], row: number): boolean {
    const p = id >>> PAGE_BITS;
    const off = id & (PAGE - 1);
    for (let k = 0; k < this.arity; k++) {
      const v = cols[k][row];
      const s = this.pages[k][p].get(off);
      if (s !== v && (s === s || v === v)) return false;
    }
    return true;
  }

  /** Makes the table `len` slots, empty. */
  private sized(len: number): void {
    if (len > MAX_SLOTS) throw new Error(`more than ${MAX_SLOTS} distinct keys`);
    this.buf.resize(len * 4);
    this.table = new Int32Array(this.buf, 0, len);
    this.table.fill(0);
    this.idMask = 2 ** (32 - Math.clz32(len)) - 1;
  }

  private grow(): void {
    // Four times while small (fewer rehashes of the early ids), then half as big again, at a
    // higher load, so that a large table is rarely much bigger than its keys need.
    const len = this.table.length;
    this.sized(len < BIG ? len * 4 : Math.ceil(len * 1.5));
    const table = this.table;
    const n = this.arity;
    const idMask = this.idMask;
    const hashes = new Int32Array(Math.min(PAGE, this.size));
    // Page by page: each component's values are read in order, and hashed once.
    for (let first = 0; first < this.size; first += PAGE) {
      const count = Math.min(PAGE, this.size - first);
      hashes.fill(0x2545f491, 0, count);
      for (let k = 0; k < n; k++) {
        const page = this.pages[k][first >>> PAGE_BITS];
        for (let j = 0; j < count; j++) hashes[j] = mix(hashes[j], hashNum(page.get(j)));
      }
      for (let j = 0; j < count; j++) {
        const h = fmix(hashes[j]);
        let i = home(h, table.length);
        while (table[i] !== 0) if (++i === table.length) i = 0;
        table[i] = (tagOf(h) & ~idMask) | (first + j + 1);
      }
    }
  }
}

/** ES2024's resizable ArrayBuffer (Node 20 has it; the ES2023 typings do not). */
interface ResizableBuffer extends ArrayBuffer {
  resize(byteLength: number): void;
}
type ResizableBufferClass = new (bytes: number, o: { maxByteLength: number }) => ResizableBuffer;

const MIN_SLOTS = 1024;
/** Tables at least this big grow by half at a load of 85%; smaller ones fourfold at 75%. */
const BIG = 1 << 20;
/** Ids need log2(slots) bits of a slot; the rest hold the tag. */
const MAX_SLOTS = 1 << 28;
/**
 * Tuples reserve() makes room for at most (a table of about 80 MB): an estimate is only that,
 * and a table reserved for keys that turn out to repeat is memory held for nothing.
 */
const MAX_RESERVE = 1 << 24;

/** The slot a hash starts at: its high 24 bits scaled to the table (exact below 2^29 slots). */
function home(h: number, len: number): number {
  return ((h >>> 8) * len * 2 ** -24) | 0;
}

/** Bits to tell tuples apart by, drawn from the hash's low bits, which home() does not use. */
function tagOf(h: number): number {
  return Math.imul(h, 0x9e3779b1);
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
