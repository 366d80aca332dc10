/**
 * The keys a keep-first de-duplication has seen, told apart from new ones. Keys often come in
 * ascending order (an order number and its line items, a file sorted on its key): those are
 * appended to a log of pages (ref-page.ts) and need no hash table, since a key above the last
 * one logged cannot have been seen. Any other key is looked for in the log (a binary search)
 * and then in a TupleSet of the keys that came out of order. Ten million keys of the bench's
 * file take about 30 MB of pages here, where a TupleSet holds the same pages and a table of
 * about 50 MB besides. Once the log has been searched for more keys than it holds, its keys
 * join the TupleSet, which takes every key from then on, as it did before: searching the log for
 * every key of a file in no order made de-duplication twice as slow. Four million pairs,
 * against a TupleSet alone: ascending 0.15 s (0.89), in no order 0.60 (0.59), two ascending
 * runs 0.76 (0.91).
 *
 *   const s = new SeenKeys(2); s.addAll([orders, lines], n, out, 0) // out[i]: -1 for a repeat
 */
import { PAGE_BITS, TupleSet } from './hashset';
import { RefPage } from './ref-page';

/** What addAll marks a row with until it gives out ids: new, or for the TupleSet to say. */
const NEW = -2;
const PENDING = -3;

/** Searches of the log before it may give its keys to the TupleSet (moveLogToSet). */
const SET_ONLY_FROM = 1 << 16;

/** Keys per page of the log: TupleSet's. */
const PAGE = 1 << PAGE_BITS;

export class SeenKeys {
  /** How many distinct keys were seen. */
  size = 0;
  /** The ascending keys, component by component. */
  private readonly log: RefPage[][];
  private logged = 0;
  /** The last key logged, the greatest so far. */
  private readonly last: Float64Array;
  /** Keys that were new but not above the last one logged when they came. */
  private others: TupleSet | null = null;
  /** How many keys reserve() was told to expect. */
  private expected = 0;
  /** Whether every key so far is in the TupleSet (moveLogToSet). */
  private setOnly = false;
  /** Rows not above the last key logged, each looked for in the log. */
  private searched = 0;
  /** Rows of a call of addAll waiting for the TupleSet, their components, and its ids. */
  private pending = new Int32Array(0);
  private comps: Float64Array[] = [];
  private otherIds = new Int32Array(0);

  /** `setOnlyFrom`: SET_ONLY_FROM (tests make it small). */
  constructor(
    readonly arity: number,
    private readonly setOnlyFrom = SET_ONLY_FROM,
  ) {
    this.log = Array.from({ length: arity }, () => []);
    this.last = new Float64Array(arity);
  }

  /**
   * For rows 0 to count - 1 of the key columns `cols`: sets out[at + row] to the next id (size,
   * counting up) when the row's key was not seen before, in earlier calls or earlier rows, and
   * to -1 when it was. Numbers compare as in a Set: 0 equals -0, NaN equals NaN.
   */
  addAll(cols: ArrayLike<number>[], count: number, out: Int32Array, at: number): void {
    if (this.setOnly) return this.addToSet(cols, count, out, at);
    const n = this.arity;
    const last = this.last;
    if (this.pending.length < count) {
      this.pending = new Int32Array(count);
      this.otherIds = new Int32Array(count);
      this.comps = Array.from({ length: n }, () => new Float64Array(count));
    }
    // Each row: new and logged (NEW), a repeat (-1), or for the TupleSet (PENDING), whose keys
    // are then added together (TupleSet.addAll reads their slots ahead) before ids are given
    // out in row order.
    const pending = this.pending;
    let waiting = 0;
    for (let r = 0; r < count; r++) {
      // 1: above the last key (or the first); 0: equal to it; -1: below; -2: holds a NaN, which
      // no order places, so it is kept out of the log.
      let cmp = this.logged === 0 ? 1 : 0;
      for (let k = 0; k < n; k++) {
        const v = cols[k][r];
        if (v !== v) {
          cmp = -2;
          break;
        }
        if (cmp === 0) {
          const l = last[k];
          if (v > l) cmp = 1;
          else if (v < l) cmp = -1;
        }
      }
      if (cmp < 0) this.searched++;
      if (cmp === 1) {
        this.append(cols, r);
        out[at + r] = NEW;
      } else if (cmp === 0 || (cmp === -1 && this.logs(cols, r))) out[at + r] = -1;
      else {
        out[at + r] = PENDING;
        pending[waiting++] = r;
      }
    }
    if (waiting > 0) {
      const others = this.others ?? this.startOthers(waiting);
      const comps = this.comps;
      for (let k = 0; k < n; k++) {
        const from = cols[k];
        const to = comps[k];
        for (let j = 0; j < waiting; j++) to[j] = from[pending[j]];
      }
      // New keys take the TupleSet's next ids in order, so a row is a key's first exactly
      // when its id is the next one.
      let next = others.size;
      others.addAll(comps, waiting, this.otherIds, 0);
      for (let j = 0; j < waiting; j++)
        if (this.otherIds[j] === next) next++;
        else out[at + pending[j]] = -1;
    }
    for (let r = 0; r < count; r++) if (out[at + r] !== -1) out[at + r] = this.size++;
    if (this.searched >= this.setOnlyFrom && this.searched > this.logged) this.moveLogToSet();
  }

  /** addAll once every key is in the TupleSet. */
  private addToSet(cols: ArrayLike<number>[], count: number, out: Int32Array, at: number): void {
    const others = this.others!;
    if (this.otherIds.length < count) this.otherIds = new Int32Array(count);
    const ids = this.otherIds;
    let next = others.size;
    others.addAll(cols, count, ids, 0);
    for (let r = 0; r < count; r++)
      if (ids[r] === next) {
        next++;
        out[at + r] = this.size++;
      } else out[at + r] = -1;
  }

  /**
   * Once the log has been searched for more keys than it holds (keys in no order or descending,
   * interleaved runs, a sorted file's keys again in another order), a TupleSet would have cost
   * less: the log's keys join one, made anew with room for them all and for those out of order,
   * and every later key goes straight there. Searching at most as often as a TupleSet would
   * have added keys keeps the cost within about twice the better of the two.
   */
  private moveLogToSet(): void {
    const n = this.arity;
    const old = this.others;
    const all = new TupleSet(n);
    all.reserve(Math.max(this.expected, this.logged + (old?.size ?? 0)));
    const chunk = 4096;
    const comps = Array.from({ length: n }, () => new Float64Array(chunk));
    const ids = new Int32Array(chunk);
    const copy = (count: number, key: (k: number, id: number) => number): void => {
      for (let first = 0; first < count; first += chunk) {
        const m = Math.min(chunk, count - first);
        for (let k = 0; k < n; k++) for (let j = 0; j < m; j++) comps[k][j] = key(k, first + j);
        all.addAll(comps, m, ids, 0);
      }
    };
    copy(this.logged, (k, id) => this.log[k][id >>> PAGE_BITS].get(id & (PAGE - 1)));
    if (old) copy(old.size, (k, id) => old.value(k, id));
    this.others = all;
    for (const pages of this.log) pages.length = 0;
    this.logged = 0;
    this.setOnly = true;
  }

  /**
   * Expect about `count` distinct keys. The log needs no room made; the set of keys out of order
   * is made big enough for the rest of them when it starts while most keys so far came out of
   * order (keys in descending or no order), and left to grow when only a few did.
   */
  reserve(count: number): void {
    if (count > 0) this.expected = count;
  }

  /**
   * The TupleSet, made when `waiting` keys of a group came out of order: with room for every
   * key expected when they outnumber the log's, whose keys will likely join them
   * (moveLogToSet). Room for all but the log's made the table grow, a full rebuild, within the
   * last few keys of a file of distinct keys in no order (2^21 keys: 0.26-0.31 s and 14.8 MB of
   * table against 0.15 s and 9.9 MB).
   */
  private startOthers(waiting: number): TupleSet {
    const others = (this.others = new TupleSet(this.arity));
    if (this.logged <= waiting) others.reserve(this.expected);
    return others;
  }

  /** Bytes the log's pages and the other keys' set hold. */
  get bytes(): number {
    let b = 0;
    for (const pages of this.log) for (const page of pages) b += page.bytes;
    return b + (this.others ? this.others.pageBytes + this.others.tableBytes : 0);
  }

  /** How many keys came out of order (and went to the TupleSet). */
  get unordered(): number {
    return this.others?.size ?? 0;
  }

  private append(cols: ArrayLike<number>[], row: number): void {
    const id = this.logged++;
    const p = id >>> PAGE_BITS;
    const off = id & (PAGE - 1);
    for (let k = 0; k < this.arity; k++) {
      const v = cols[k][row];
      const pages = this.log[k];
      if (off === 0) pages.push(new RefPage(PAGE));
      pages[p].set(off, v);
      this.last[k] = v;
    }
  }

  /** Whether the log holds the key of `row` (binary search: the log ascends). */
  private logs(cols: ArrayLike<number>[], row: number): boolean {
    let lo = 0;
    let hi = this.logged - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compare(cols, row, mid);
      if (c === 0) return true;
      if (c < 0) hi = mid - 1;
      else lo = mid + 1;
    }
    return false;
  }

  /** The key of `row` against the logged key `id`: negative below, 0 equal, positive above. */
  private compare(cols: ArrayLike<number>[], row: number, id: number): number {
    const p = id >>> PAGE_BITS;
    const off = id & (PAGE - 1);
    for (let k = 0; k < this.arity; k++) {
      const a = cols[k][row];
      const b = this.log[k][p].get(off);
      if (a < b) return -1;
      if (a > b) return 1;
    }
    return 0;
  }
}
