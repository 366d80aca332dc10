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

  it('counts a value each time countBytes or countText finds it, and findBytes or findText does not', () => {
    const d = new TextDict();
    const h = (v: string): number => hashText(v, 3);
    const a = d.add('apple', h('apple'));
    const e = d.addBytes(bytes('#egg'), 1, 4, h('egg'));
    expect(d.countText('apple', h('apple'))).toBe(a);
    expect(d.countBytes(bytes('apple'), 0, 5, h('apple'))).toBe(a);
    expect(d.countBytes(bytes('egg'), 0, 3, h('egg'))).toBe(e);
    expect(d.findText('apple', h('apple'))).toBe(a);
    expect(d.findBytes(bytes('egg'), 0, 3, h('egg'))).toBe(e);
    expect(d.countText('pear', h('pear'))).toBe(-1);
    expect(Array.from(d.counts())).toEqual([3, 2]);
    expect(d.text(e)).toBe('egg');
  });

  it('keeps texts of every length, and others than ASCII, through its growth', () => {
    const d = new TextDict();
    const values = ['', 'a', 'ab', 'abc', 'abcd', 'é', 'ß', 'naïve', '日本', 'x'.repeat(5000)];
    for (let i = 0; i < 20_000; i++) values.push(`${i % 3 ? 'Ωmega' : 'k'}${i}`);
    values.forEach((v, id) => expect(d.add(v, hashText(v, 11))).toBe(id));
    values.forEach((v, id) => {
      expect(d.countText(v, hashText(v, 11))).toBe(id);
      expect(d.text(id)).toBe(v);
    });
    expect(Array.from(new Set(d.counts()))).toEqual([2]);
    // A text with units above 255 never equals ASCII bytes, and hashes apart from its
    // look-alike in Latin-1.
    expect(hashText('Ωmega1', 11)).not.toBe(hashText('\u00a9mega1', 11));
    expect(d.findBytes(bytes('k0'), 0, 2, hashBytes(bytes('k0'), 0, 2, 11))).toBe(10);
  });
});
