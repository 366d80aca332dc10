/**
 * Dense ids for the distinct texts of a column, found from the cell's bytes when it is ASCII
 * (no string is made for a value seen before) or from a string: either way the key is the
 * text's UTF-16 units, so both find the same id. Open addressing over flat typed arrays.
 */
import { fmix } from './hashset';

/**
 * 32 bits of text mixed into a hash (murmur3's mixing): two UTF-16 units, the first in the low
 * half, or the last unit alone. hashText and hashBytes take the same units in the same pairs,
 * so they agree on ASCII; a mixing round per pair took half the rounds of one per unit.
 */
function mixIn(h: number, unit: number): number {
  let k = Math.imul(unit, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h ^= k;
  return Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
}

function finish(h: number, n: number): number {
  return fmix(h ^ n);
}

/** The hash of ASCII bytes [s, e): the same as hashText of the text they spell. */
export function hashBytes(b: Uint8Array, s: number, e: number, seed: number): number {
  let h = seed | 0;
  let i = s;
  for (; i + 1 < e; i += 2) h = mixIn(h, b[i] | (b[i + 1] << 16));
  if (i < e) h = mixIn(h, b[i]);
  return finish(h, e - s);
}

/** A 32-bit hash of a text; `seed` picks another. */
export function hashText(v: string, seed: number): number {
  let h = seed | 0;
  const n = v.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = mixIn(h, v.charCodeAt(i) | (v.charCodeAt(i + 1) << 16));
  if (i < n) h = mixIn(h, v.charCodeAt(i));
  return finish(h, n);
}

export class TextDict {
  size = 0;
  /** Slot i: [hash, id + 1] at 2i, so a probe reads one place; 0 ids mark empty slots. */
  private table: Int32Array = new Int32Array(2048);
  private mask = 1023;
  /** By id: [start in units, length] at 2 id. */
  private meta: Int32Array = new Int32Array(512);
  private units: Uint16Array = new Uint16Array(4096);
  private used = 0;

  /** The id of the ASCII bytes [s, e) with hash h, or -1. */
  findBytes(b: Uint8Array, s: number, e: number, h: number): number {
    const n = e - s;
    const t = this.table;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const slot = t[2 * i + 1];
      if (slot === 0) return -1;
      if (t[2 * i] !== h) continue;
      const id = slot - 1;
      if (this.meta[2 * id + 1] !== n) continue;
      const at = this.meta[2 * id];
      let k = 0;
      while (k < n && this.units[at + k] === b[s + k]) k++;
      if (k === n) return id;
    }
  }

  /** The id of text v with hash h, or -1. */
  findText(v: string, h: number): number {
    const n = v.length;
    const t = this.table;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const slot = t[2 * i + 1];
      if (slot === 0) return -1;
      if (t[2 * i] !== h) continue;
      const id = slot - 1;
      if (this.meta[2 * id + 1] !== n) continue;
      const at = this.meta[2 * id];
      let k = 0;
      while (k < n && this.units[at + k] === v.charCodeAt(k)) k++;
      if (k === n) return id;
    }
  }

  /** The text of id. */
  text(id: number): string {
    const at = this.meta[2 * id];
    const n = this.meta[2 * id + 1];
    let v = '';
    // In slices: apply() takes a bounded number of arguments.
    for (let k = 0; k < n; k += 4096)
      v += String.fromCharCode.apply(
        null,
        this.units.subarray(at + k, at + Math.min(n, k + 4096)) as unknown as number[],
      );
    return v;
  }

  /** Adds text v (not there yet) with hash h; returns its id. */
  add(v: string, h: number): number {
    const id = this.size++;
    if (2 * id === this.meta.length) this.meta = grown(this.meta, id * 4);
    if (this.used + v.length > this.units.length) {
      const u = new Uint16Array(Math.max(this.units.length * 2, this.used + v.length));
      u.set(this.units);
      this.units = u;
    }
    for (let k = 0; k < v.length; k++) this.units[this.used + k] = v.charCodeAt(k);
    this.meta[2 * id] = this.used;
    this.meta[2 * id + 1] = v.length;
    this.used += v.length;
    this.place(h, id);
    if (this.size * 2 > this.mask) this.rehash();
    return id;
  }

  private place(h: number, id: number): void {
    let i = h & this.mask;
    while (this.table[2 * i + 1] !== 0) i = (i + 1) & this.mask;
    this.table[2 * i] = h;
    this.table[2 * i + 1] = id + 1;
  }

  private rehash(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    this.mask = this.table.length / 2 - 1;
    for (let i = 0; i < old.length; i += 2)
      if (old[i + 1] !== 0) this.place(old[i], old[i + 1] - 1);
  }
}

function grown(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

const latin1 = new TextDecoder('latin1');

/** The text of the ASCII bytes [s, e). */
export function asciiText(b: Uint8Array, s: number, e: number): string {
  if (e - s > 64) return latin1.decode(b.subarray(s, e));
  return String.fromCharCode.apply(null, b.subarray(s, e) as unknown as number[]);
}
