/** Clusters by key collision, as OpenRefine makes them: fingerprint and n-gram fingerprint. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clusterKey,
  clusterValues,
  fingerprint,
  ngramFingerprint,
  type ClusterMethod,
} from '../../src-main/engine/cluster';

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const METHODS: ClusterMethod[] = ['fingerprint', 'ngram'];

describe('keys', () => {
  it('fingerprint: trimmed, lower case, no accents or punctuation, unique sorted words', () => {
    expect(fingerprint('  Mc-Donald, the  ')).toBe('mcdonald the');
    expect(fingerprint('Hunter Andrew')).toBe(fingerprint('Andrew Hunter'));
    expect(fingerprint('ORLÉANS')).toBe('orleans');
    expect(fingerprint('MÂCON')).toBe(fingerprint('Macon'));
    expect(fingerprint('b a a')).toBe('a b');
    expect(fingerprint('Saint Louis')).not.toBe(fingerprint('Stlouis'));
  });

  it('ngram: also joins values that differ only in spacing or hyphens', () => {
    expect(ngramFingerprint('New York')).toBe(ngramFingerprint('newyork'));
    expect(ngramFingerprint('SAINT-LOUIS')).toBe(ngramFingerprint('Saint Louis'));
    expect(ngramFingerprint('Mc Lean')).toBe(ngramFingerprint('Mclean'));
    expect(ngramFingerprint('ab')).toBe('ab');
  });

  it("a value's key is stable: the key of a key is itself, whitespace around it changes nothing", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        fc.constantFrom(...METHODS),
        (s, m) => {
          const k = clusterKey(s, m);
          expect(clusterKey(s, m)).toBe(k);
          expect(clusterKey(`  ${s}\t`, m)).toBe(k);
          if (m === 'fingerprint') expect(fingerprint(k)).toBe(k);
        },
      ),
      { numRuns: 1000, seed },
    );
  });
});

describe('clusterValues', () => {
  it('clusters the real near-duplicates, most common value proposed, largest first', () => {
    const cs = clusterValues(
      [
        { value: 'Macon', count: 3 },
        { value: 'MÂCON', count: 2 },
        { value: 'Orleans', count: 1 },
        { value: 'ORLÉANS', count: 2 },
        { value: 'Paris', count: 40 },
      ],
      'fingerprint',
    );
    expect(cs).toEqual([
      {
        key: 'macon',
        values: [
          { value: 'Macon', count: 3 },
          { value: 'MÂCON', count: 2 },
        ],
        rows: 5,
        proposed: 'Macon',
      },
      {
        key: 'orleans',
        values: [
          { value: 'ORLÉANS', count: 2 },
          { value: 'Orleans', count: 1 },
        ],
        rows: 3,
        proposed: 'ORLÉANS',
      },
    ]);
  });

  it('partitions the values: each in exactly one cluster, with its count, sharing its key', () => {
    const values = fc.uniqueArray(
      fc.record({
        value: fc.oneof(
          fc.constantFrom(
            'Saint Louis',
            'SAINT-LOUIS',
            'saint louis ',
            'St. Louis',
            'Mc Lean',
            'Mclean',
          ),
          fc.string({ maxLength: 8 }),
        ),
        count: fc.integer({ min: 1, max: 50 }),
      }),
      { selector: (v) => v.value, maxLength: 40 },
    );
    fc.assert(
      fc.property(values, fc.constantFrom(...METHODS), (vs, m) => {
        const cs = clusterValues(vs, m, { all: true });
        const seen = cs.flatMap((c) => c.values);
        expect(seen.map((v) => v.value).sort()).toEqual(vs.map((v) => v.value).sort());
        for (const c of cs) {
          for (const v of c.values) expect(clusterKey(v.value, m)).toBe(c.key);
          expect(c.rows).toBe(c.values.reduce((s, v) => s + v.count, 0));
          expect(c.proposed).toBe(c.values[0].value);
          expect(Math.max(...c.values.map((v) => v.count))).toBe(c.values[0].count);
        }
        expect(new Set(cs.map((c) => c.key)).size).toBe(cs.length);
        // Without `all`, only the clusters that have something to merge.
        expect(clusterValues(vs, m)).toEqual(cs.filter((c) => c.values.length > 1));
      }),
      { numRuns: 500, seed },
    );
  });
});
