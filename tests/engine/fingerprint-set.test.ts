/**
 * The key search's set of row fingerprints: exact about repeats, and, told the most it will
 * hold, it grows once, straight to that, rather than rehashing at every doubling.
 */
import { describe, expect, it } from 'vitest';
import { FingerprintSet } from '../../src-main/engine/fingerprint-set';

describe('a set of fingerprints', () => {
  it('finds every repeat, across growth', () => {
    const set = new FingerprintSet(16, 100_000);
    for (let i = 0; i < 100_000; i++) expect(set.add(i, i * 31)).toBe(true);
    for (let i = 0; i < 100_000; i += 997) expect(set.add(i, i * 31)).toBe(false);
    expect(set.add(5, 6)).toBe(true);
    expect(set.size).toBe(100_001);
  });

  it('grows straight to room for the most it was told, once its first room is full', () => {
    const set = new FingerprintSet(1000, 1_000_000);
    expect(set.room).toBe(1024);
    for (let i = 0; i <= 1024; i++) set.add(i, 0);
    expect(set.room).toBe(1 << 20);
    for (let i = 1025; i < 1_000_000; i++) set.add(i, 0);
    expect(set.room).toBe(1 << 20);
    // Cleared, it keeps its room for the next test of the search.
    set.clear();
    expect(set.size).toBe(0);
    expect(set.room).toBe(1 << 20);
  });

  it('doubles when not told how many it will hold', () => {
    const set = new FingerprintSet(1000);
    for (let i = 0; i <= 1024; i++) set.add(i, 0);
    expect(set.room).toBe(2048);
  });
});
