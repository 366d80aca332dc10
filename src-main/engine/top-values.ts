/**
 * The most frequent values of a column whose distinct values are too many to keep: the
 * Misra-Gries summary. With k counters, every value seen more than rows/(k+1) times is kept,
 * and each kept count is at most that much below the true one (never above it). Counters are
 * found by the value's 32-bit hash, and live in typed arrays, so a column of a million
 * different ids costs a map lookup per row and little else.
 */
import { asciiText } from './text-dict';

export class TopValues {
  private readonly slots = new Map<number, number>();
  private readonly hashes: Int32Array;
  private readonly counts: Float64Array;
  private readonly texts: string[];
  private readonly free: number[] = [];

  constructor(private readonly k = 64) {
    this.hashes = new Int32Array(k);
    this.counts = new Float64Array(k);
    this.texts = new Array<string>(k).fill('');
    for (let i = k - 1; i >= 0; i--) this.free.push(i);
  }

  /**
   * Adds `count` of the value with hash `h`, whose text is `text`, or the ASCII bytes [s, e)
   * of it (made into text only if the value is kept).
   */
  add(h: number, count: number, text: string | Uint8Array, s = 0, e = 0): void {
    const at = this.slots.get(h);
    if (at !== undefined) {
      this.counts[at] += count;
      return;
    }
    let left = count;
    if (this.free.length === 0) {
      // Full: take the smallest of the counts and the new one's off every counter.
      let cut = count;
      for (let i = 0; i < this.k; i++) if (this.counts[i] < cut) cut = this.counts[i];
      for (let i = 0; i < this.k; i++) {
        this.counts[i] -= cut;
        if (this.counts[i] <= 0) {
          this.slots.delete(this.hashes[i]);
          this.texts[i] = '';
          this.free.push(i);
        }
      }
      left -= cut;
      if (left <= 0) return;
    }
    const i = this.free.pop()!;
    this.slots.set(h, i);
    this.hashes[i] = h;
    this.counts[i] = left;
    this.texts[i] = typeof text === 'string' ? text : asciiText(text, s, e);
  }

  /** The `n` largest counts, most frequent first (ties in text order). */
  top(n: number): { value: string; count: number }[] {
    return [...this.slots.values()]
      .map((i) => ({ value: this.texts[i], count: this.counts[i] }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
      .slice(0, n);
  }
}
