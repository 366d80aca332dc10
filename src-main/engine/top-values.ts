/**
 * The most frequent values of a column whose distinct values are too many to keep: the
 * Misra-Gries summary. With k counters, every value seen more than rows/(k+1) times is kept,
 * and each kept count is at most that much below the true one (never above it). Counters are
 * found by the value's 32-bit hash in a small open-addressing table of typed arrays (a Map
 * of a million ids coming and going costs far more), rebuilt after each round of decrements.
 * A counter added from ASCII bytes keeps a copy of them, not a string: in a column of mostly
 * distinct values nearly every cell takes a counter for a while, and making each one a string
 * was most of a spilled column's cost (and garbage).
 */
import { asciiText } from './text-dict';

/** Bytes kept per counter; a longer value is kept as its text. */
const SLOT = 32;

export class TopValues {
  /** Probe table: a counter's hash and its index (-1: empty), four slots per counter. */
  private readonly keys: Int32Array;
  private readonly index: Int16Array;
  private readonly mask: number;
  private readonly hashes: Int32Array;
  private readonly counts: Float64Array;
  /** A counter's text, or '' when its value is in `bytes` (`lengths`). */
  private readonly texts: string[];
  private readonly bytes: Uint8Array;
  private readonly lengths: Int32Array;
  private readonly free: number[] = [];

  constructor(private readonly k = 64) {
    let size = 16;
    while (size < k * 4) size *= 2;
    this.keys = new Int32Array(size);
    this.index = new Int16Array(size).fill(-1);
    this.mask = size - 1;
    this.hashes = new Int32Array(k);
    this.counts = new Float64Array(k);
    this.texts = new Array<string>(k).fill('');
    this.bytes = new Uint8Array(k * SLOT);
    this.lengths = new Int32Array(k);
    for (let i = k - 1; i >= 0; i--) this.free.push(i);
  }

  /**
   * Adds `count` of the value with hash `h`, whose text is `text`, or the ASCII bytes [s, e)
   * of it (made into text only if the value is kept).
   */
  add(h: number, count: number, text: string | Uint8Array, s = 0, e = 0): void {
    let p = h & this.mask;
    for (; this.index[p] >= 0; p = (p + 1) & this.mask)
      if (this.keys[p] === h) {
        this.counts[this.index[p]] += count;
        return;
      }
    let left = count;
    if (this.free.length === 0) {
      // Full: take the smallest of the counts and the new one's off every counter.
      let cut = count;
      for (let i = 0; i < this.k; i++) if (this.counts[i] < cut) cut = this.counts[i];
      this.index.fill(-1);
      for (let i = 0; i < this.k; i++) {
        this.counts[i] -= cut;
        if (this.counts[i] > 0) this.place(this.hashes[i], i);
        else {
          this.texts[i] = '';
          this.free.push(i);
        }
      }
      left -= cut;
      if (left <= 0) return;
    }
    const i = this.free.pop()!;
    this.place(h, i);
    this.hashes[i] = h;
    this.counts[i] = left;
    if (typeof text === 'string' || e - s > SLOT) {
      this.texts[i] = typeof text === 'string' ? text : asciiText(text, s, e);
      this.lengths[i] = -1;
    } else {
      this.texts[i] = '';
      for (let k = s, at = i * SLOT; k < e; k++, at++) this.bytes[at] = text[k];
      this.lengths[i] = e - s;
    }
  }

  private text(i: number): string {
    const n = this.lengths[i];
    return n < 0 ? this.texts[i] : asciiText(this.bytes, i * SLOT, i * SLOT + n);
  }

  private place(h: number, i: number): void {
    let p = h & this.mask;
    while (this.index[p] >= 0) p = (p + 1) & this.mask;
    this.keys[p] = h;
    this.index[p] = i;
  }

  /** The `n` largest counts, most frequent first (ties in text order). */
  top(n: number): { value: string; count: number }[] {
    const used: number[] = [];
    for (let i = 0; i < this.k; i++) if (this.counts[i] > 0) used.push(i);
    return used
      .map((i) => ({ value: this.text(i), count: this.counts[i] }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
      .slice(0, n);
  }
}
