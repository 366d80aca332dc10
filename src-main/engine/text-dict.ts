/**
 * Dense ids for the distinct texts of a column, found from the cell's bytes when it is ASCII
 * (no string is made for a value seen before) or from a string: either way the key is the
 * text's UTF-16 units, so both find the same id. Open addressing over flat typed arrays.
 */
import { fmix } from './hashset';

/** 32 bits of text mixed into a hash (murmur3's mixing). */
function mixIn(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h ^= k;
  return Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
}

function finish(h: number, n: number): number {
  return fmix(h ^ n);
}

/**
 * The hash of ASCII bytes [s, e): the same as hashText of the text they spell. Four bytes go
 * into each mixing round, the first in the low byte; a mixing round per byte, then per two,
 * were most of the time a dictionary took to find a value it had.
 */
export function hashBytes(b: Uint8Array, s: number, e: number, seed: number): number {
  let h = seed | 0;
  let i = s;
  for (; i + 3 < e; i += 4)
    h = mixIn(h, b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
  if (i < e) {
    let w = b[i];
    if (i + 1 < e) w |= b[i + 1] << 8;
    if (i + 2 < e) w |= b[i + 2] << 16;
    h = mixIn(h, w);
  }
  return finish(h, e - s);
}

/**
 * A 32-bit hash of a text; `seed` picks another. A text of units below 256 is hashed as
 * hashBytes hashes its bytes (four to a round), so that both find the same values; another
 * text, which no bytes of an ASCII cell can spell, two units to a round.
 */
export function hashText(v: string, seed: number): number {
  let h = seed | 0;
  const n = v.length;
  let all = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const a = v.charCodeAt(i);
    const b = v.charCodeAt(i + 1);
    const c = v.charCodeAt(i + 2);
    const d = v.charCodeAt(i + 3);
    all |= a | b | c | d;
    h = mixIn(h, a | (b << 8) | (c << 16) | (d << 24));
  }
  if (i < n) {
    let w = v.charCodeAt(i);
    all |= w;
    for (let j = 1; i + j < n; j++) {
      const u = v.charCodeAt(i + j);
      all |= u;
      w |= u << (8 * j);
    }
    h = mixIn(h, w);
  }
  return all > 255 ? hashWide(v, seed) : finish(h, n);
}

/** hashText of a text with a unit of 256 or more: two units to a round. */
function hashWide(v: string, seed: number): number {
  let h = seed | 0;
  const n = v.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = mixIn(h, v.charCodeAt(i) | (v.charCodeAt(i + 1) << 16));
  if (i < n) h = mixIn(h, v.charCodeAt(i));
  return finish(h, n);
}

/** Int32s before an entry's text: its length in units, its id, and its count. */
const HEAD = 3;

export class TextDict {
  size = 0;
  /** Slot i: [hash, entry + 1] at 2i, so a probe reads one place; 0 marks an empty slot. */
  private table: Int32Array = new Int32Array(2048);
  private mask = 1023;
  /**
   * The entries, one after another, each at an int32 boundary: [length, id, count] as int32s,
   * then the text's UTF-16 units. A value seen before is found, checked and counted in one
   * place: with its length and count kept apart by id, a lookup in a dictionary of hundreds of
   * thousands of values took four cache misses, not two, and twice the time.
   */
  private ints: Int32Array = new Int32Array(2048);
  private units: Uint16Array = new Uint16Array(this.ints.buffer);
  /** Int32s of `ints` in use. */
  private used = 0;
  /** By id: where its entry starts in `ints` (read to list the values, not to find them). */
  private at: Int32Array = new Int32Array(256);

  /** The entry of the ASCII bytes [s, e) with hash h, or -1. */
  private entryBytes(b: Uint8Array, s: number, e: number, h: number): number {
    const n = e - s;
    const t = this.table;
    const ints = this.ints;
    const u = this.units;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const slot = t[2 * i + 1];
      if (slot === 0) return -1;
      if (t[2 * i] !== h) continue;
      const q = slot - 1;
      if (ints[q] !== n) continue;
      const from = 2 * (q + HEAD) - s;
      let k = s;
      while (k < e && u[from + k] === b[k]) k++;
      if (k === e) return q;
    }
  }

  /** The entry of text v with hash h, or -1. */
  private entryText(v: string, h: number): number {
    const n = v.length;
    const t = this.table;
    const ints = this.ints;
    const u = this.units;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const slot = t[2 * i + 1];
      if (slot === 0) return -1;
      if (t[2 * i] !== h) continue;
      const q = slot - 1;
      if (ints[q] !== n) continue;
      const from = 2 * (q + HEAD);
      let k = 0;
      while (k < n && u[from + k] === v.charCodeAt(k)) k++;
      if (k === n) return q;
    }
  }

  /**
   * Reads the home slots of the first n `hashes`, and the entries there: finds that follow
   * find them in the cache. A loop of loads that do not wait on one another has many cache
   * misses under way at once; a find at a time waits for each.
   */
  touch(hashes: Int32Array, n: number): void {
    const t = this.table;
    const ints = this.ints;
    const mask = this.mask;
    let x = 0;
    for (let i = 0; i < n; i++) {
      const slot = t[2 * (hashes[i] & mask) + 1];
      x += slot === 0 ? 0 : ints[slot - 1];
    }
    this.touched = x;
  }

  /** What touch read (kept, so that its loads are not optimised away). */
  touched = 0;

  /** The id of the ASCII bytes [s, e) with hash h, or -1. */
  findBytes(b: Uint8Array, s: number, e: number, h: number): number {
    const q = this.entryBytes(b, s, e, h);
    return q < 0 ? -1 : this.ints[q + 1];
  }

  /** The id of text v with hash h, or -1. */
  findText(v: string, h: number): number {
    const q = this.entryText(v, h);
    return q < 0 ? -1 : this.ints[q + 1];
  }

  /** findBytes, counting one more of the value when it is there. */
  countBytes(b: Uint8Array, s: number, e: number, h: number): number {
    const q = this.entryBytes(b, s, e, h);
    if (q < 0) return -1;
    this.ints[q + 2]++;
    return this.ints[q + 1];
  }

  /** findText, counting one more of the value when it is there. */
  countText(v: string, h: number): number {
    const q = this.entryText(v, h);
    if (q < 0) return -1;
    this.ints[q + 2]++;
    return this.ints[q + 1];
  }

  /** The text of id. */
  text(id: number): string {
    const q = this.at[id];
    const from = 2 * (q + HEAD);
    const n = this.ints[q];
    let v = '';
    // In slices: apply() takes a bounded number of arguments.
    for (let k = 0; k < n; k += 4096)
      v += String.fromCharCode.apply(
        null,
        this.units.subarray(from + k, from + Math.min(n, k + 4096)) as unknown as number[],
      );
    return v;
  }

  /**
   * Copies the text of id into `out` when it is ASCII digits alone and fits there, and returns
   * its length; else -1 (what was copied is then of no use).
   */
  digits(id: number, out: Uint8Array): number {
    const q = this.at[id];
    const n = this.ints[q];
    if (n > out.length) return -1;
    const u = this.units;
    const from = 2 * (q + HEAD);
    for (let k = 0; k < n; k++) {
      const c = u[from + k];
      if (c < 48 || c > 57) return -1;
      out[k] = c;
    }
    return n;
  }

  /** Each id's count (one when added, one more per countBytes or countText that found it). */
  counts(): Int32Array {
    const c = new Int32Array(this.size);
    for (let id = 0; id < this.size; id++) c[id] = this.ints[this.at[id] + 2];
    return c;
  }

  /** Adds text v (not there yet) with hash h, counted once; returns its id. */
  add(v: string, h: number): number {
    const n = v.length;
    const q = this.room(n);
    const u = this.units;
    const from = 2 * (q + HEAD);
    for (let k = 0; k < n; k++) u[from + k] = v.charCodeAt(k);
    return this.added(q, n, h);
  }

  /** Adds the ASCII bytes [s, e) (not there yet) with hash h, counted once; returns their id. */
  addBytes(b: Uint8Array, s: number, e: number, h: number): number {
    const q = this.room(e - s);
    const u = this.units;
    const from = 2 * (q + HEAD) - s;
    for (let k = s; k < e; k++) u[from + k] = b[k];
    return this.added(q, e - s, h);
  }

  /** Where the entry of a text of n units goes, room made for it. */
  private room(n: number): number {
    const need = this.used + HEAD + ((n + 1) >> 1);
    if (need > this.ints.length) {
      const ints = new Int32Array(Math.max(this.ints.length * 2, need));
      ints.set(this.ints.subarray(0, this.used));
      this.ints = ints;
      this.units = new Uint16Array(ints.buffer);
    }
    return this.used;
  }

  /** Makes entry q, whose n units were just written, the next id. */
  private added(q: number, n: number, h: number): number {
    const id = this.size++;
    if (id === this.at.length) this.at = grown(this.at, id * 2);
    this.at[id] = q;
    this.ints[q] = n;
    this.ints[q + 1] = id;
    this.ints[q + 2] = 1;
    this.used = q + HEAD + ((n + 1) >> 1);
    this.place(h, q);
    if (this.size * 2 > this.mask) this.rehash();
    return id;
  }

  private place(h: number, q: number): void {
    let i = h & this.mask;
    while (this.table[2 * i + 1] !== 0) i = (i + 1) & this.mask;
    this.table[2 * i] = h;
    this.table[2 * i + 1] = q + 1;
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
