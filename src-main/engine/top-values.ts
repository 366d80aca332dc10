/**
 * The most frequent values of a column whose distinct values are too many to keep: the
 * Misra-Gries summary. With k counters, every value seen more than rows/(k+1) times is kept,
 * and each kept count is at most that much below the true one (never above it).
 */
export class TopValues {
  readonly counts = new Map<string, number>();

  constructor(private readonly k = 64) {}

  add(v: string, count = 1): void {
    const c = this.counts.get(v);
    if (c !== undefined) {
      this.counts.set(v, c + count);
      return;
    }
    if (this.counts.size < this.k) {
      this.counts.set(v, count);
      return;
    }
    // Full: take the smallest of the counts and the new one's off every counter.
    let cut = count;
    for (const n of this.counts.values()) if (n < cut) cut = n;
    for (const [key, n] of this.counts)
      if (n <= cut) this.counts.delete(key);
      else this.counts.set(key, n - cut);
    if (count > cut) this.counts.set(v, count - cut);
  }

  /** The `n` largest counts, most frequent first (ties in text order). */
  top(n: number): { value: string; count: number }[] {
    return [...this.counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, n)
      .map(([value, count]) => ({ value, count }));
  }
}
