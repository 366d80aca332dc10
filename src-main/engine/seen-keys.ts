/**
 * The keys a keep-first de-duplication has seen, told apart from new ones. Keys often come in
 * ascending order (an order number and its line items, a file sorted on its key): those are
 * appended to a log of pages (ref-page.ts) and need no hash table, since a key above the last
 * one logged cannot have been seen. Any other key is looked for in the log (a binary search)
 * and then in a TupleSet of the keys that came out of order. Ten million keys of the bench's
 * file take about 30 MB of pages here, where a TupleSet holds the same pages and a table of
 * about 50 MB besides; keys in no order at all end up in the TupleSet, as before.
 *
 *   const s = new SeenKeys(2); s.addAll([orders, lines], n, out, 0) // out[i]: -1 for a repeat
 */
import { TupleSet } from './hashset';
import { RefPage } from './ref-page';

/** Keys per page of the log, as in TupleSet. */
const PAGE_BITS = 14;
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

  constructor(readonly arity: number) {
    this.log = Array.from({ length: arity }, () => []);
    this.last = new Float64Array(arity);
  }

  /**
   * For rows 0 to count - 1 of the key columns `cols`: sets out[at + row] to the next id (size,
   * counting up) when the row's key was not seen before, in earlier calls or earlier rows, and
   * to -1 when it was. Numbers compare as in a Set: 0 equals -0, NaN equals NaN.
   */
  addAll(cols: ArrayLike<number>[], count: number, out: Int32Array, at: number): void {
    const n = this.arity;
    const last = this.last;
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
      if (cmp === 1) {
        this.append(cols, r);
        out[at + r] = this.size++;
      } else if (cmp === 0 || (cmp === -1 && this.logs(cols, r))) out[at + r] = -1;
      else {
        const others = this.others ?? this.startOthers();
        const before = others.size;
        others.add(cols, r);
        out[at + r] = others.size > before ? this.size++ : -1;
      }
    }
  }

  /**
   * Expect about `count` distinct keys. The log needs no room made; the set of keys out of order
   * is made big enough for the rest of them when it starts while most keys so far came out of
   * order (keys in descending or no order), and left to grow when only a few did.
   */
  reserve(count: number): void {
    if (count > 0) this.expected = count;
  }

  private startOthers(): TupleSet {
    const others = (this.others = new TupleSet(this.arity));
    if (this.logged * 2 <= this.size + 1) others.reserve(this.expected - this.logged);
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
