/**
 * Per-row codes in chunks read back as the codes written: ids as they were (each chunk as wide
 * as it needs), and after a spill every row, before or after it, as its value's hash.
 */
import { describe, expect, it } from 'vitest';
import { CHUNK, MemoryCodes, RowCodes, type CodeStore } from '../../src-main/engine/row-codes';

/** A store that keeps copies, like a file: nothing read back aliases what was written. */
class CopyStore implements CodeStore {
  private readonly kept: Uint8Array[] = [];
  put(bytes: Uint8Array): number {
    this.kept.push(bytes.slice());
    return this.kept.length - 1;
  }
  get(handle: number): Uint8Array {
    return this.kept[handle].slice();
  }
}

function readAll(c: RowCodes): { lo: number[]; hi: number[] | null } {
  const lo: number[] = [];
  let hi: number[] | null = null;
  for (let i = 0; i < c.chunks; i++) {
    const part = c.chunk(i);
    for (let r = 0; r < part.rows; r++) lo.push(part.lo[r]);
    if (part.hi) {
      hi ??= [];
      for (let r = 0; r < part.rows; r++) hi.push(part.hi[r]);
    }
  }
  return { lo, hi };
}

describe('row codes', () => {
  for (const [name, store] of [
    ['in memory', () => new MemoryCodes()],
    ['copied out', () => new CopyStore()],
  ] as const)
    it(`keep ids of every width across chunks (${name})`, () => {
      const c = new RowCodes(store());
      const ids: number[] = [];
      const rows = 2 * CHUNK + 123;
      for (let r = 0; r < rows; r++) {
        // Small ids in the first chunk, wider later: 1, 2 and 4 bytes.
        const id = r < CHUNK ? r % 200 : r < 2 * CHUNK ? r % 60_000 : r * 7;
        ids.push(id);
        c.pushId(id);
      }
      expect(c.rows).toBe(rows);
      expect(readAll(c)).toEqual({ lo: ids, hi: null });
    });

  it('read ids written before a spill through their hashes, and hashes after it', () => {
    const c = new RowCodes(new CopyStore());
    const distinct = 1000;
    const lo = Int32Array.from({ length: distinct }, (_, i) => i * 2654435761);
    const hi = Int32Array.from({ length: distinct }, (_, i) => -i * 40503);
    const want: { lo: number[]; hi: number[] } = { lo: [], hi: [] };
    const spillAt = CHUNK + 777;
    for (let r = 0; r < 3 * CHUNK + 5; r++) {
      if (r === spillAt) c.spill(lo, hi);
      if (r < spillAt) {
        const id = (r * 31) % distinct;
        c.pushId(id);
        want.lo.push(lo[id]);
        want.hi.push(hi[id]);
      } else {
        c.pushHash(r, -r);
        want.lo.push(r);
        want.hi.push(-r);
      }
    }
    expect(c.hashed).toBe(true);
    expect(readAll(c)).toEqual(want);
  });

  it('cross threads as plain data and read the same', () => {
    const store = new CopyStore();
    const c = new RowCodes(store);
    for (let r = 0; r < CHUNK + 10; r++) c.pushId(r % 300);
    const before = readAll(c);
    const { data } = c.data();
    expect(readAll(RowCodes.from(structuredClone(data), store))).toEqual(before);
  });
});
