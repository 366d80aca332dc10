/**
 * The column dictionaries of a profile find a value from its bytes (an ASCII cell, no string
 * made) or from its text: both must hash alike, and the hash must spread values well, since its
 * low bits place them in the table and its full 32 bits feed the distinct-count estimates.
 */
import { describe, expect, it } from 'vitest';
import { hashBytes, hashText, TextDict } from '../../src-main/engine/text-dict';

const bytes = (v: string): Uint8Array => Uint8Array.from(v, (c) => c.charCodeAt(0));

describe('the text hash', () => {
  it('is the same from the bytes of an ASCII text as from the text, at every length', () => {
    const texts = ['', 'a', 'ab', 'abc', '1234', '$1,234.50 ', 'Order 12345', ' N/A '];
    for (let n = 0; n < 40; n++) texts.push('xyz0123456789'.repeat(4).slice(0, n));
    for (const v of texts)
      for (const seed of [0, 0x9747b28c]) {
        const padded = bytes(`##${v}#`);
        expect(hashBytes(padded, 2, 2 + v.length, seed)).toBe(hashText(v, seed));
      }
  });

  it('tells apart texts that differ in one unit, in order, or in length', () => {
    const seen = new Set<number>();
    for (const v of ['ab', 'ba', 'ab\u0000', 'a', 'b', 'abc', 'acb', 'é', 'e', '\u0000'])
      seen.add(hashText(v, 1));
    expect(seen.size).toBe(10);
    expect(hashText('abc', 1)).not.toBe(hashText('abc', 2));
  });

  it('spreads a run of similar values: few 32-bit collisions, and low bits well used', () => {
    const n = 200_000;
    const full = new Set<number>();
    const low = new Set<number>();
    for (let i = 0; i < n; i++) {
      const h = hashText(`SO${1_000_000 + i}`, 0x2545f491);
      full.add(h);
      if (i < 65_536) low.add(h & 0xffff);
    }
    // 200,000 values in 2^32: about 5 collisions expected.
    expect(n - full.size).toBeLessThan(40);
    // 65,536 values into 65,536 buckets at random fill about 63% of them.
    expect(low.size).toBeGreaterThan(40_000);
  });
});

describe('a TextDict', () => {
  it('finds a text it was given by its bytes or its text, and only that text', () => {
    const d = new TextDict();
    const values = Array.from({ length: 5000 }, (_, i) => `v${(i * 7919) % 100_003}`);
    for (const v of values) d.add(v, hashText(v, 7));
    values.forEach((v, id) => {
      expect(d.findText(v, hashText(v, 7))).toBe(id);
      expect(d.findBytes(bytes(v), 0, v.length, hashBytes(bytes(v), 0, v.length, 7))).toBe(id);
      expect(d.text(id)).toBe(v);
    });
    expect(d.findText('v-1', hashText('v-1', 7))).toBe(-1);
    expect(d.size).toBe(5000);
  });
});
