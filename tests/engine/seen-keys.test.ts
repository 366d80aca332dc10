/**
 * SeenKeys against a Map of joined components: the same keys are new, in any order of keys
 * (ascending, descending, runs, none), across groups, with 0 and -0 as one key and NaN as one;
 * and keys that come in order take pages only, no table.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TupleSet } from '../../src-main/engine/hashset';
import { SeenKeys } from '../../src-main/engine/seen-keys';
import { fuzz } from '../helpers/fuzz';

const norm = (v: number): string => (v !== v ? 'NaN' : Object.is(v, -0) ? '0' : String(v));

/** out[i] as SeenKeys should give it: the next id for a key's first row, -1 for the rest. */
function reference(rows: number[][]): number[] {
  const seen = new Set<string>();
  return rows.map((r) => {
    const k = r.map(norm).join('|');
    if (seen.has(k)) return -1;
    seen.add(k);
    return seen.size - 1;
  });
}

function seen(
  arity: number,
  rows: number[][],
  group: number,
  reserve = 0,
  setOnlyFrom?: number,
): number[] {
  const s = new SeenKeys(arity, setOnlyFrom);
  s.reserve(reserve);
  const out = new Int32Array(rows.length);
  for (let at = 0; at < rows.length; at += group) {
    const part = rows.slice(at, at + group);
    const cols = Array.from({ length: arity }, (_, k) => Float64Array.from(part.map((r) => r[k])));
    s.addAll(cols, part.length, out, at);
  }
  return Array.from(out);
}

/** Ascending by components, NaN above every number (as a sort of a file might leave it). */
function ascending(a: number[], b: number[]): number {
  for (let k = 0; k < a.length; k++) {
    const [x, y] = [a[k], b[k]];
    if (x !== x || y !== y) {
      if (x !== x && y !== y) continue;
      return x !== x ? 1 : -1;
    }
    if (x !== y) return x - y;
  }
  return 0;
}

const component = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -4, max: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, NaN, 0.5, -Infinity, Infinity, 2 ** 31, 1e300) },
);

/** Tuples of an arity of 1 to 3, in an order of one of several kinds. */
const keys = fc
  .integer({ min: 1, max: 3 })
  .chain((arity) =>
    fc.tuple(
      fc.constant(arity),
      fc.array(fc.array(component, { minLength: arity, maxLength: arity }), { maxLength: 200 }),
      fc.constantFrom('as drawn', 'ascending', 'descending', 'two ascending runs', 'strays'),
      fc.integer({ min: 0, max: 1000 }),
    ),
  );

function ordered(rows: number[][], order: string, seed: number): number[][] {
  const up = [...rows].sort(ascending);
  const half = rows.length >> 1;
  switch (order) {
    case 'ascending':
      return up;
    case 'descending':
      return up.reverse();
    case 'two ascending runs':
      return [...rows.slice(0, half).sort(ascending), ...rows.slice(half).sort(ascending)];
    case 'strays': {
      // Ascending, with a few rows moved far back: repeats of logged keys and new keys below
      // the last one.
      const out = [...up];
      for (let i = 0; i < Math.min(5, out.length); i++) {
        const [r] = out.splice((seed * (i + 7)) % out.length, 1);
        out.push(r);
      }
      return out;
    }
    default:
      return rows;
  }
}

describe('SeenKeys', () => {
  afterEach(() => vi.restoreAllMocks());

  it('tells new keys from repeats as a Set of joined components does, in any order', async () => {
    await fuzz(
      'SeenKeys vs Set',
      fc.property(
        keys,
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 0, max: 40 }),
        ([arity, drawn, order, seed], group, setOnlyFrom) => {
          const rows = ordered(drawn, order, seed);
          const want = reference(rows);
          expect(seen(arity, rows, group)).toEqual(want);
          expect(seen(arity, rows, group, rows.length)).toEqual(want);
          // Its log's keys moved to the TupleSet once the keys out of order outnumber them.
          expect(seen(arity, rows, group, 0, setOnlyFrom)).toEqual(want);
        },
      ),
      400,
    );
  });

  it('keeps keys that come in order in pages only, and finds repeats of them far back', () => {
    // The benchmark's key: order numbers rising, line items 1 to 7; then every 97th row again,
    // from the first page to the last, and a new key below the last one.
    const rows: number[][] = [];
    let seed = 1;
    for (let i = 0, order = 366_000, line = 1; i < 200_000; i++, line++) {
      seed = (seed * 48271) % 2147483647;
      if (line > 7 || seed % 2) [order, line] = [order + 1 + (seed % 3), 1];
      rows.push([order, line]);
    }
    const s = new SeenKeys(2);
    const cols = [0, 1].map((k) => Float64Array.from(rows.map((r) => r[k])));
    const out = new Int32Array(rows.length);
    s.addAll(cols, rows.length, out, 0);
    expect(Array.from(out)).toEqual(rows.map((_, i) => i));
    expect(s.unordered).toBe(0);
    // 2 + 1 bytes a key, a partly filled page besides; a TupleSet needs 4 more a slot.
    expect(s.bytes).toBeLessThanOrEqual(3 * rows.length + 3 * (1 << 14));

    const again = rows.filter((_, i) => i % 97 === 0);
    again.push([366_001, 9]);
    const more = [0, 1].map((k) => Float64Array.from(again.map((r) => r[k])));
    const out2 = new Int32Array(again.length);
    s.addAll(more, again.length, out2, 0);
    expect(Array.from(out2)).toEqual([...again.slice(0, -1).map(() => -1), rows.length]);
    expect(s.unordered).toBe(1);
    expect(s.size).toBe(rows.length + 1);
  });

  it('makes room for the expected keys when most come out of order, and only then', () => {
    const reserve = vi.spyOn(TupleSet.prototype, 'reserve');
    const n = 10_000;
    const down = Array.from({ length: n }, (_, i) => [n - i, 1]);
    expect(seen(2, down, 4096, n)).toEqual(down.map((_, i) => i));
    // Room for every key expected: the log's are likely to join them.
    expect(reserve.mock.calls).toEqual([[n]]);

    // In order but for one stray: the set of strays is left to grow from small.
    reserve.mockClear();
    const stray = [...down].reverse();
    stray.push([0, 5]);
    expect(seen(2, stray, 4096, n + 1)).toEqual(stray.map((_, i) => i));
    expect(reserve).not.toHaveBeenCalled();
  });

  it('moves to its TupleSet alone when keys come in no order, and keeps finding every key', () => {
    // 100,000 keys in no order, each twice: after 2^16 of them the log's few keys join the
    // TupleSet; repeats of keys from before and after are found all the same.
    const n = 100_000;
    let x = 7;
    const drawn = Array.from({ length: n }, () => {
      x = (x * 48271) % 2147483647;
      return [x, x % 7];
    });
    const rows = [...drawn, ...drawn];
    expect(seen(2, rows, 4096, 2 * n)).toEqual(reference(rows));
    const s = new SeenKeys(2);
    const cols = [0, 1].map((k) => Float64Array.from(rows.map((r) => r[k])));
    const out = new Int32Array(rows.length);
    for (let at = 0; at < rows.length; at += 4096)
      s.addAll(
        cols.map((c) => c.subarray(at)),
        Math.min(4096, rows.length - at),
        out,
        at,
      );
    expect(s.unordered).toBe(n);
    expect(s.size).toBe(n);
    // Keys in order with a few new ones below the last: those stay in the TupleSet, few.
    const strays = new SeenKeys(1, 4);
    const up = Float64Array.from({ length: 50_000 }, (_, i) => (i % 1000 === 999 ? i - 1.5 : i));
    const ids = new Int32Array(up.length);
    strays.addAll([up], up.length, ids, 0);
    expect(Array.from(ids)).toEqual(Array.from(up, (_, i) => i));
    expect(strays.unordered).toBe(50);
    expect(strays.size).toBe(50_000);
  });

  it('moves to its TupleSet once it has searched its log for more keys than it holds', () => {
    const run = (keys: number[], setOnlyFrom: number): SeenKeys => {
      const s = new SeenKeys(1, setOnlyFrom);
      s.reserve(keys.length);
      const col = Float64Array.from(keys);
      const out = new Int32Array(keys.length);
      for (let at = 0; at < keys.length; at += 4096)
        s.addAll([col.subarray(at)], Math.min(4096, keys.length - at), out, at);
      expect(Array.from(out)).toEqual(reference(keys.map((k) => [k])));
      return s;
    };
    // A sorted file's keys, then all of them twice more in other orders: only repeats come,
    // and after the first copy the log is not searched again.
    const n = 20_000;
    const up = Array.from({ length: n }, (_, i) => i);
    const again = (m: number): number[] => up.map((_, i) => up[(i * m) % n]);
    const moved = run([...up, ...again(7919), ...again(104_729)], 1000);
    expect(moved.unordered).toBe(n);
    // A repeat of a recent key now and then: the log stays, and no table is made.
    const sorted = up.map((k) => (k % 10 === 9 ? k - 2 : k));
    const kept = run(sorted, 1000);
    expect(kept.unordered).toBe(0);
    expect(kept.bytes).toBeLessThan(4 * n);
  });
});
