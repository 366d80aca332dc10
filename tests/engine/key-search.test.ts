/**
 * The key search answers what an exact search over the values answers: the first set of
 * columns, singles then pairs then triples, left first, whose values no two rows share. Its
 * codes come in every shape a profile writes (ids of 1, 2 or 4 bytes, hashes, ids read through
 * a spill's hashes), over several chunks and in several passes.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fmix } from '../../src-main/engine/hashset';
import { suggestKey, type KeyStats } from '../../src-main/engine/key-search';
import { CHUNK, RowCodes, type CodeStore } from '../../src-main/engine/row-codes';
import { CodeFile } from '../../src-main/io/code-file';
import { clustered } from '../helpers/clustered';

type Shape = 'ids' | 'hashes' | 'spilled';

interface Column {
  shape: Shape;
  values: number[];
}

/** A value's 64-bit hash: fmix is one-to-one on 32 bits, so different values never share it. */
const lo = (v: number): number => fmix(v + 1);
const hi = (v: number): number => fmix(v ^ 0x5bd1e995);

/** A column's codes as a profile writes them: ids in order of first sight, or hashes, or both. */
function codes({ shape, values }: Column): RowCodes {
  const c = new RowCodes();
  const ids = new Map<number, number>();
  const spillAt = shape === 'spilled' ? Math.floor(values.length / 2) : -1;
  values.forEach((v, r) => {
    if (r === spillAt) {
      const known = [...ids.keys()];
      c.spill(Int32Array.from(known, lo), Int32Array.from(known, hi));
    }
    if (shape === 'hashes' || (shape === 'spilled' && r >= spillAt)) c.pushHash(lo(v), hi(v));
    else {
      if (!ids.has(v)) ids.set(v, ids.size);
      c.pushId(ids.get(v)!);
    }
  });
  return c;
}

/** The same search over the values themselves. */
function exactKey(columns: Column[], rows: number): number[] | null {
  const unique = (set: number[]): boolean =>
    new Set(Array.from({ length: rows }, (_, r) => set.map((c) => columns[c].values[r]).join(',')))
      .size === rows;
  const n = columns.length;
  for (let a = 0; a < n; a++) if (unique([a])) return [a];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (unique([a, b])) return [a, b];
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++)
      for (let c = b + 1; c < n; c++) if (unique([a, b, c])) return [a, b, c];
  return null;
}

const column = (rows: number): fc.Arbitrary<Column> =>
  fc
    .record({
      shape: fc.constantFrom<Shape>('ids', 'hashes', 'spilled'),
      // Few values (narrow ids), hundreds (2-byte ids), about one a row (4-byte ids).
      width: fc.constantFrom(2, 5, 300, 70_000, rows),
      how: fc.constantFrom('random', 'cycle', 'runs'),
      seed: fc.integer(),
    })
    .map(({ shape, width, how, seed }) => {
      let x = seed | 0;
      const values = Array.from({ length: rows }, (_, r) => {
        x = (Math.imul(x, 1103515245) + 12345) | 0;
        if (how === 'cycle') return r % width;
        if (how === 'runs') return Math.floor((r * width) / rows);
        return (x >>> 8) % width;
      });
      return { shape, values };
    });

const table = fc
  .oneof(
    { arbitrary: fc.integer({ min: 1, max: 3000 }), weight: 5 },
    // Past a chunk: rows of the same values fall in different chunks.
    { arbitrary: fc.integer({ min: CHUNK + 1, max: 2 * CHUNK + 500 }), weight: 1 },
  )
  .chain((rows) =>
    fc.record({
      rows: fc.constant(rows),
      columns: fc.array(column(rows), { minLength: 1, maxLength: 4 }),
      rowsPerPass: fc.constantFrom(1 << 21, 1000),
    }),
  );

describe('the key search', () => {
  it('finds the key an exact search over the values finds', () => {
    fc.assert(
      fc.property(table, ({ rows, columns, rowsPerPass }) => {
        const names = columns.map((_, c) => `c${c}`);
        const stats: KeyStats[] = columns.map((c) => ({
          nullCount: 0,
          distinctCount: new Set(c.values).size,
          // A hashed column's distinct count is an estimate: the search then tests even a single.
          distinctCapped: c.shape !== 'ids',
        }));
        const want = exactKey(columns, rows);
        // Told which columns have each value on consecutive rows, or not told.
        for (const told of [false, true]) {
          const cols = columns.map((c) => ({
            codes: codes(c),
            clustered: told && clustered(c.values),
          }));
          expect(suggestKey(names, cols, stats, rows, rowsPerPass)).toEqual(
            want && want.map((c) => names[c]),
          );
        }
      }),
      { numRuns: 40, seed: 18 },
    );
  });

  it('looks for repeats within the runs of a clustered column, in any shape of codes', () => {
    // Orders of 1-4 lines; a line repeated now and then, within its order or far from it.
    const rows = 2 * CHUNK + 300;
    const order: number[] = [];
    const line: number[] = [];
    for (let o = 0; order.length < rows; o++)
      for (let l = 1; l <= 1 + (o % 4) && order.length < rows; l++) {
        order.push(1000 + o);
        line.push(l);
      }
    const search = (orders: number[], lines: number[], shape: Shape) => {
      const columns: Column[] = [
        { shape, values: orders },
        { shape: 'ids', values: lines },
      ];
      const stats: KeyStats[] = columns.map((c) => ({
        nullCount: 0,
        distinctCount: new Set(c.values).size,
        distinctCapped: c.shape !== 'ids',
      }));
      const cols = columns.map((c) => ({ codes: codes(c), clustered: clustered(c.values) }));
      expect(cols[0].clustered).toBe(true);
      const found = suggestKey(['order', 'line'], cols, stats, rows);
      const want = exactKey(columns, rows);
      expect(found).toEqual(want && want.map((c) => ['order', 'line'][c]));
      return found;
    };
    for (const shape of ['ids', 'hashes', 'spilled'] as Shape[]) {
      expect(search(order, line, shape)).toEqual(['order', 'line']);
      // An order's line again as its next line, in the last chunk.
      let at = rows - 1;
      while (order[at] !== order[at - 1]) at--;
      const dup = line.map((l, r) => (r === at ? line[r - 1] : l));
      expect(search(order, dup, shape)).toBeNull();
    }
  });

  it('finds rows that repeat only in other chunks', () => {
    const rows = 2 * CHUNK + 100;
    const values = Array.from({ length: rows }, (_, r) => r % (CHUNK + 10));
    const columns: Column[] = [
      { shape: 'hashes', values },
      { shape: 'spilled', values },
      { shape: 'ids', values: values.map(() => 0) },
    ];
    const stats: KeyStats[] = columns.map((c) => ({
      nullCount: 0,
      distinctCount: new Set(c.values).size,
      distinctCapped: c.shape !== 'ids',
    }));
    expect(exactKey(columns, rows)).toBeNull();
    const cols = columns.map((c) => ({ codes: codes(c) }));
    expect(suggestKey(['a', 'b', 'c'], cols, stats, rows)).toBeNull();
  });

  it('finds a repeat past the rows it tests first, in one pass or several', () => {
    // Rows 2 * CHUNK + 50 on repeat rows 0 to 49: after the early chunks (all-in-one set).
    const rows = 2 * CHUNK + 100;
    const values = Array.from({ length: rows }, (_, r) => r % (2 * CHUNK + 50));
    const stats: KeyStats[] = [
      { nullCount: 0, distinctCount: 2 * CHUNK + 50, distinctCapped: true },
    ];
    for (const shape of ['hashes', 'spilled', 'ids'] as Shape[])
      for (const rowsPerPass of [1 << 21, 1000]) {
        const cols = [{ codes: codes({ shape, values }) }];
        expect(suggestKey(['a'], cols, stats, rows, rowsPerPass)).toBeNull();
        const unique = Array.from({ length: rows }, (_, r) => r);
        const ok = [{ codes: codes({ shape, values: unique }) }];
        expect(suggestKey(['a'], ok, stats, rows, rowsPerPass)).toEqual(['a']);
      }
  });

  it('finds repeats among the fingerprints a pass kept in its store', () => {
    // Eight passes of about 41,000 rows: each keeps several full segments in the store.
    const rows = 5 * CHUNK;
    const rowsPerPass = CHUNK;
    const dir = mkdtempSync(join(tmpdir(), 'sluice-key-search-'));
    try {
      const stores: [string, () => CodeStore | undefined][] = [
        ['memory', () => undefined],
        ['a file', () => file],
      ];
      const file = new CodeFile(join(dir, 'codes'), true);
      for (const [, store] of stores)
        for (const shape of ['hashes', 'ids'] as Shape[]) {
          const search = (values: number[]): string[] | null => {
            const stats: KeyStats[] = [
              { nullCount: 0, distinctCount: new Set(values).size, distinctCapped: true },
            ];
            return suggestKey(
              ['a'],
              [{ codes: codes({ shape, values }) }],
              stats,
              rows,
              rowsPerPass,
              store(),
            );
          };
          const unique = Array.from({ length: rows }, (_, r) => r);
          expect(search(unique)).toEqual(['a']);
          // Row 10 again past the early chunks: both in a full segment of their pass.
          expect(search(unique.map((v, r) => (r === 2 * CHUNK + 10 ? 10 : v)))).toBeNull();
          // Row 10 again in the last row: one in a full segment, one in the pass's open one.
          expect(search(unique.map((v, r) => (r === rows - 1 ? 10 : v)))).toBeNull();
        }
      // Each test takes the room of the one before: the file holds one test's fingerprints.
      expect(statSync(join(dir, 'codes')).size).toBeGreaterThan(0);
      expect(statSync(join(dir, 'codes')).size).toBeLessThanOrEqual(rows * 8);
      file.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
