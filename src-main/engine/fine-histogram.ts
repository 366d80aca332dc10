/**
 * A histogram of numbers seen one at a time, when they cannot be kept: many narrow bins over a
 * range that doubles (merging neighbours) whenever a number falls outside it. The bins asked
 * for at the end span the exact min and max; a narrow bin that straddles one of their edges
 * counts in the bin its middle falls in, so their counts are estimates.
 */
import type { HistogramBin } from './profile-types';

const FINE = 4096;

export class FineHistogram {
  private readonly counts = new Float64Array(FINE);
  private origin = 0;
  private width = 0;
  min = Infinity;
  max = -Infinity;
  total = 0;

  add(x: number, count = 1): void {
    if (!Number.isFinite(x)) return;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    this.total += count;
    if (this.width === 0) {
      // The first number: a range around it that the next doublings stretch.
      this.origin = x;
      this.width = Math.max(Math.abs(x), 1) / FINE;
    }
    while (x < this.origin) this.stretch(true);
    while (x >= this.origin + this.width * FINE) this.stretch(false);
    this.counts[Math.min(FINE - 1, Math.floor((x - this.origin) / this.width))] += count;
  }

  /** Doubles the range, down (the old bins become the upper half) or up. */
  private stretch(down: boolean): void {
    const c = this.counts;
    const merged = new Float64Array(FINE / 2);
    for (let i = 0; i < FINE; i++) merged[i >> 1] += c[i];
    c.fill(0);
    c.set(merged, down ? FINE / 2 : 0);
    if (down) this.origin -= this.width * FINE;
    this.width *= 2;
  }

  /** `bins` equal bins from min to max (one when they are equal), labelled by `fmt`. */
  bins(bins: number, fmt: (n: number) => string): HistogramBin[] {
    if (this.total === 0) return [];
    const lo = this.min;
    const hi = this.max;
    const k = lo === hi ? 1 : bins;
    const width = (hi - lo) / k || 1;
    const out = new Array<number>(k).fill(0);
    for (let i = 0; i < FINE; i++) {
      if (this.counts[i] === 0) continue;
      const mid = Math.min(hi, Math.max(lo, this.origin + (i + 0.5) * this.width));
      out[Math.min(k - 1, Math.floor((mid - lo) / width))] += this.counts[i];
    }
    return out.map((count, b) => ({
      from: fmt(lo + b * width),
      to: fmt(b === k - 1 ? hi : lo + (b + 1) * width),
      count,
    }));
  }
}
