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

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.table = new Int32Array(cap * 2);
    this.used = new Uint8Array(cap);
    this.mask = cap - 1;
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
    this.table = new Int32Array(table.length * 2);
    this.used = new Uint8Array(used.length * 2);
    this.mask = this.used.length - 1;
    this.size = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) this.add(table[2 * i], table[2 * i + 1]);
  }
}
