/**
 * The typed key structures against the plain JavaScript ones they replace: a TupleSet gives
 * equal tuples one id exactly as a Map of their components would, and RowKeys groups rows
 * exactly as keyFnWithNulls' joined strings do, across batches, nulls, text and numbers.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { TupleSet } from '../../src-main/engine/hashset';
import { keyFnWithNulls, RowKeys } from '../../src-main/engine/keys';
import { numColumn, type Batch, type Column } from '../../src-main/engine/table';
import { fuzz } from '../helpers/fuzz';

/** Set semantics of one number: 0 and -0 are one key, every NaN is one key. */
const norm = (v: number): string => (v !== v ? 'NaN' : Object.is(v, -0) ? '0' : String(v));

/** The ids a Map of joined components gives, in order of first appearance. */
function referenceIds(rows: number[][]): number[] {
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const k = r.map(norm).join('|');
    let id = seen.get(k);
    if (id === undefined) seen.set(k, (id = seen.size));
    return id;
  });
}

function tupleIds(arity: number, rows: number[][]): number[] {
  const set = new TupleSet(arity);
  const cols = Array.from({ length: arity }, (_, k) => Float64Array.from(rows.map((r) => r[k])));
  return rows.map((_, i) => set.add(cols, i));
}

const anyNumber = fc.oneof(
  fc.constantFrom(0, -0, NaN, 1, -1, 2 ** 31, -(2 ** 31), 2 ** 31 - 1, 0.5, 1e300, Infinity),
  fc.integer({ min: -5, max: 5 }),
  fc.double(),
);

/** An arity of 1 to 4 and up to 300 tuples of it. */
const tuples = fc
  .integer({ min: 1, max: 4 })
  .chain((arity) =>
    fc.tuple(
      fc.constant(arity),
      fc.array(fc.array(anyNumber, { minLength: arity, maxLength: arity }), { maxLength: 300 }),
    ),
  );

describe('TupleSet', () => {
  it('gives tuples the same ids as a Map of their components, on random data', async () => {
    await fuzz(
      'TupleSet vs Map',
      fc.property(tuples, ([arity, rows]) => {
        expect(tupleIds(arity, rows)).toEqual(referenceIds(rows));
      }),
      300,
    );
  });

  it('gives the same ids a group at a time (addAll) as one at a time, through growth', async () => {
    const byGroups = (arity: number, rows: number[][], group: number): number[] => {
      const set = new TupleSet(arity);
      const out = new Int32Array(rows.length);
      for (let at = 0; at < rows.length; at += group) {
        const part = rows.slice(at, at + group);
        const cols = Array.from({ length: arity }, (_, k) =>
          Float64Array.from(part.map((r) => r[k])),
        );
        set.addAll(cols, part.length, out, at);
      }
      return Array.from(out);
    };
    await fuzz(
      'TupleSet.addAll vs add',
      fc.property(tuples, fc.integer({ min: 1, max: 64 }), ([arity, rows], group) => {
        expect(byGroups(arity, rows, group)).toEqual(tupleIds(arity, rows));
      }),
      300,
    );
    // 50,000 tuples, half of them again: the table grows within a group of 4096.
    const rows = Array.from({ length: 75_000 }, (_, i) => {
      const j = i < 50_000 ? i : (i * 7919) % 50_000;
      return [j % 313, Math.floor(j / 313) * 0.5, -j];
    });
    expect(byGroups(3, rows, 4096)).toEqual(referenceIds(rows));
  });

  it('does not grow while the tuples it reserved room for come, and gives the same ids', () => {
    const n = 200_000;
    const rows = Array.from({ length: n }, (_, i) => [i % 1000, Math.floor(i / 1000)]);
    const cols = [0, 1].map((k) => Float64Array.from(rows.map((r) => r[k])));
    const grown = (reserve: number): { ids: number[]; grows: number } => {
      const set = new TupleSet(2);
      const grow = vi.spyOn(set as unknown as { grow(): void }, 'grow');
      set.reserve(reserve);
      const ids = rows.map((_, i) => set.add(cols, i));
      return { ids, grows: grow.mock.calls.length };
    };
    const reserved = grown(n);
    expect(reserved.grows).toBe(0);
    // Without room reserved (or too little), the table grows as it fills: the same ids.
    const unreserved = grown(0);
    expect(unreserved.grows).toBeGreaterThan(3);
    expect(unreserved.ids).toEqual(reserved.ids);
    expect(grown(n / 2).ids).toEqual(reserved.ids);
  });

  it('keeps every tuple through growth, pages and wider storage', () => {
    // 150,000 distinct tuples: the table grows many times and the pages run past 65,536 ids;
    // the second component is 0 at first (no storage), then int32, then float64.
    const rows: number[][] = [];
    for (let i = 0; i < 150_000; i++)
      rows.push([i % 977, i < 1000 ? 0 : i < 100_000 ? i * 3 : i + 0.25, Math.floor(i / 977)]);
    // Every tuple again, in another order: each must find its first id.
    const again = rows.map((_, i) => rows[(i * 7919) % rows.length]);
    const all = [...rows, ...again];
    const ids = tupleIds(3, all);
    expect(ids).toEqual(referenceIds(all));
    expect(ids.reduce((m, x) => Math.max(m, x), 0)).toBe(149_999);
  });

  it('finds every tuple again after its table grows past a million slots, by half at a time', () => {
    // 1.5 million distinct pairs take the table through fourfold growth, then growth by half
    // (slot counts that are not powers of two); each pair must keep its first id.
    const n = 1_500_000;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) [a[i], b[i]] = [i % 1000, Math.floor(i / 1000) * 0.5];
    const set = new TupleSet(2);
    for (let i = 0; i < n; i++) if (set.add([a, b], i) !== i) throw new Error(`new pair ${i}`);
    for (let i = 0; i < n; i++) {
      const j = (i * 7919) % n;
      if (set.add([a, b], j) !== j) throw new Error(`pair ${j} lost its id`);
    }
    expect(set.size).toBe(n);
  });

  it('gives back every component as added, whatever width its page holds it in', () => {
    // Per page of 16,384 ids: a run of equal values, then small, medium, 24-bit and 32-bit
    // offsets from the page's first value, then fractions; -0 comes back as 0, NaN as NaN.
    const values = [7, 7, 7, -100, 127, 30_000, -8_000_000, 2 ** 31 - 1, -(2 ** 31), 0.5, -0, NaN];
    const rows: number[][] = [];
    for (let i = 0; i < 40_000; i++) rows.push([i, values[i % values.length] + (i % 3), 1]);
    const set = new TupleSet(3);
    const cols = [0, 1, 2].map((k) => Float64Array.from(rows.map((r) => r[k])));
    expect(rows.map((_, i) => set.add(cols, i))).toEqual(rows.map((_, i) => i));
    const back = rows.map((_, i) => [0, 1, 2].map((k) => norm(set.value(k, i))).join('|'));
    expect(back).toEqual(rows.map((r) => r.map(norm).join('|')));
  });

  it('keeps keys that come in order in a few bytes each', () => {
    // The benchmark's key: order numbers rising, line items 1..7, a random int32 customer.
    const n = 200_000;
    const cols = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    let seed = 1;
    for (let i = 0, order = 366_000, line = 1; i < n; i++, line++) {
      seed = (seed * 48271) % 2147483647;
      if (line > 7 || seed % 2) [order, line] = [order + 1 + (seed % 3), 1];
      [cols[0][i], cols[1][i], cols[2][i]] = [order, line, seed % 2_100_000];
    }
    const set = new TupleSet(3);
    for (let i = 0; i < n; i++) set.add(cols, i);
    expect(set.size).toBe(n);
    // 2 + 1 + 3 bytes a key (a Float64Array each would take 24), a partly filled page besides.
    expect(set.pageBytes).toBeLessThanOrEqual(6 * n + 6 * (1 << 14));
    expect(set.pageBytes).toBeGreaterThan(5 * n);
  });
});

/** A batch of mixed key columns: ints (with nulls), text (with nulls) and floats. */
function keyBatch(rows: [number | null, string | null, number | null][]): Batch {
  const n = rows.length;
  const a = numColumn(n);
  const c = numColumn(n);
  rows.forEach(([x, , z], i) => {
    if (x !== null) [a.values[i], a.valid[i]] = [x, 1];
    else a.values[i] = 99; // a stale value under a null must not matter
    if (z !== null) [c.values[i], c.valid[i]] = [z, 1];
  });
  const columns: Column[] = [a, { kind: 'text', values: rows.map((r) => r[1]) }, c];
  return {
    fields: [
      { name: 'a', type: 'int' },
      { name: 'b', type: 'string' },
      { name: 'c', type: 'float' },
    ],
    columns,
    length: n,
    line: Int32Array.from(rows, (_, i) => i + 2),
    lineEnd: Int32Array.from(rows, (_, i) => i + 2),
  };
}

describe('RowKeys', () => {
  it('groups rows as the joined-string keys do, across batches (and finds first rows)', async () => {
    const row = fc.tuple(
      fc.option(fc.integer({ min: -3, max: 3 })),
      fc.option(fc.constantFrom('', 'x', 'y', 'n1', '\u0001', 'a long value of text, 20+')),
      fc.option(fc.constantFrom(0, -0, 1.5, NaN, 1)),
    );
    await fuzz(
      'RowKeys vs keyFnWithNulls',
      fc.property(
        fc.array(fc.array(row, { maxLength: 60 }), { minLength: 1, maxLength: 5 }),
        fc.subarray([0, 1, 2], { minLength: 1 }),
        (batches, cols) => {
          const keys = new RowKeys(cols.length);
          // firstOnly (a keep-first de-duplication's): the id of a key's first row, -1 after.
          const firsts = new RowKeys(cols.length, true);
          const gotFirsts: number[] = [];
          const got: number[] = [];
          const want = new Map<string | number, number>();
          const expected: number[] = [];
          for (const rows of batches) {
            const b = keyBatch(rows);
            const out = new Int32Array(b.length);
            keys.ids(b, cols, out);
            got.push(...out);
            firsts.ids(b, cols, out);
            gotFirsts.push(...out);
            const key = keyFnWithNulls(b, cols);
            for (let i = 0; i < b.length; i++) {
              // The joined-string key spells -0 and 0 alike only in some paths; normalise it.
              const raw = key(i);
              const k = typeof raw === 'number' && raw === 0 ? 0 : raw;
              let id = want.get(k);
              if (id === undefined) want.set(k, (id = want.size));
              expected.push(id);
            }
          }
          expect(got).toEqual(expected);
          expect(keys.size).toBe(want.size);
          const firstRows = expected.map((id, i) => (expected.indexOf(id) === i ? id : -1));
          expect(gotFirsts).toEqual(firstRows);
          expect(firsts.size).toBe(want.size);
        },
      ),
      300,
    );
  });
});
