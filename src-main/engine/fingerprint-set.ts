/**
 * A set of 64-bit fingerprints (two int32 halves) in one flat Int32Array: the cheapest way to
 * ask whether millions of rows are all different. Equal rows have equal fingerprints, so when
 * every fingerprint is new the rows are all different, whatever the hash.
 */
export class FingerprintSet {
  private table: Int32Array;
  private used: Uint8Array;
  private mask: number;
  size = 0;

  /**
   * `most`: the most fingerprints it will be asked to hold, when known. It starts with room for
   * `capacity`; once that is full it grows straight to room for `most`: growing by doubling
   * took five rehashes of up to a million fingerprints each, a third of a key search's time.
   */
  constructor(
    capacity = 1024,
    private readonly most = 0,
  ) {
    const cap = slotsFor(capacity);
    this.table = new Int32Array(cap * 2);
    this.used = new Uint8Array(cap);
    this.mask = cap - 1;
  }

  /** How many fingerprints it holds before it grows. */
  get room(): number {
    return this.used.length / 2;
  }

  /** Empties the set, keeping its capacity (and memory) for the next use. */
  clear(): void {
    this.used.fill(0);
    this.size = 0;
  }

  /** Adds (lo, hi); returns false when it was already there. */
  add(lo: number, hi: number): boolean {
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      if (!this.used[i]) break;
      if (this.table[2 * i] === lo && this.table[2 * i + 1] === hi) return false;
      i = (i + 1) & this.mask;
    }
    this.used[i] = 1;
    this.table[2 * i] = lo;
    this.table[2 * i + 1] = hi;
    if (++this.size * 2 > this.used.length) this.grow();
    return true;
  }

  private grow(): void {
    const table = this.table;
    const used = this.used;
    const cap = Math.max(used.length * 2, slotsFor(this.most));
    this.table = new Int32Array(cap * 2);
    this.used = new Uint8Array(cap);
    this.mask = this.used.length - 1;
    this.size = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) this.add(table[2 * i], table[2 * i + 1]);
  }
}

/** Slots for `n` fingerprints: a power of two, at most half full. */
function slotsFor(n: number): number {
  let cap = 16;
  while (cap < n * 2) cap *= 2;
  return cap;
}
