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
