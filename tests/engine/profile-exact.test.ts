/**
 * An exact column profile (one that kept its distinct values) says what the values say: the
 * distinct count, the most frequent values with ties in text order, and a text column's least
 * and greatest value, trimmed. The profile makes the texts of only the values it needs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Profiler } from '../../src-main/engine/profile';
import { batchFromRows } from '../../src-main/engine/table';

const value = fc.oneof(
  fc.constantFrom('a', 'b', ' b', 'B', 'ab', '10', '9', '2.5', '1/13/2016', 'x@y.z', ''),
  fc.integer({ min: 0, max: 40 }).map(String),
  fc.string({ maxLength: 3 }),
);

describe('an exact column profile', () => {
  it('counts distinct values, ranks the most frequent (ties in text order), and bounds texts', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), (values) => {
        const p = new Profiler(['x']);
        p.add(
          batchFromRows(
            ['x'],
            values.map((v) => [v]),
          ),
        );
        const c = p.result().columns[0];
        const counts = new Map<string, number>();
        for (const v of values) if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
        // The null tokens the profile counts as nulls are not among its values.
        for (const v of counts.keys())
          if (['n/a', '#n/a', 'null', ''].includes(v.trim().toLowerCase())) counts.delete(v);
        expect(c.distinctCount).toBe(counts.size);
        const ranked = [...counts]
          .sort(([a, n], [b, m]) => m - n || (a < b ? -1 : a > b ? 1 : 0))
          .slice(0, 10)
          .map(([v, count]) => ({ value: v, count }));
        expect(c.topValues).toEqual(ranked);
        if (c.guess.type === 'string' && counts.size) {
          const trimmed = [...counts.keys()].map((v) => v.trim());
          expect(c.min).toBe(trimmed.reduce((a, b) => (b < a ? b : a)));
          expect(c.max).toBe(trimmed.reduce((a, b) => (b > a ? b : a)));
        }
      }),
      { numRuns: 200, seed: 18 },
    );
  });
});
