/** Facets: values, ranges and conditions on typed columns; they combine; missing columns ignored. */
import { describe, expect, it } from 'vitest';
import { ColumnStats } from '../../src-main/engine/column-stats';
import { facetFilter } from '../../src-main/engine/facets';
import type { Value } from '../../src-main/engine/table';

const COLS = [
  { name: 'Order Date', type: 'date' },
  { name: 'Quantity', type: 'int' },
  { name: 'Currency Code', type: 'string' },
];
const ROWS: Value[][] = [
  ['2016-01-01', 1, 'CAD'],
  ['2016-01-13', 2, 'USD'],
  ['2017-05-02', 10, 'USD'],
  [null, 3, ''],
  ['2020-02-29', 9, 'EUR'],
];
const passing = (facets: Parameters<typeof facetFilter>[0]): number[] => {
  const f = facetFilter(facets, COLS);
  return ROWS.flatMap((r, i) => (f.mask(r) === f.all ? [i] : []));
};

describe('facetFilter', () => {
  it('keeps rows holding one of the values; null stands for an empty cell', () => {
    expect(passing([{ kind: 'values', column: 'Currency Code', values: ['USD'] }])).toEqual([1, 2]);
    expect(passing([{ kind: 'values', column: 'Currency Code', values: [null, 'CAD'] }])).toEqual([
      0, 3,
    ]);
    expect(passing([{ kind: 'values', column: 'Quantity', values: ['10'] }])).toEqual([2]);
  });

  it("compares ranges in the column's type order, both ends included", () => {
    // As text, "10" < "9"; as numbers it is not.
    expect(passing([{ kind: 'range', column: 'Quantity', from: '2', to: '9' }])).toEqual([1, 3, 4]);
    expect(
      passing([{ kind: 'range', column: 'Order Date', from: '2016-01-13', to: null }]),
    ).toEqual([1, 2, 4]);
  });

  it('conditions: empty, contains (any case), gt on numbers', () => {
    expect(passing([{ kind: 'condition', column: 'Order Date', op: 'empty' }])).toEqual([3]);
    expect(
      passing([{ kind: 'condition', column: 'Currency Code', op: 'contains', value: 'us' }]),
    ).toEqual([1, 2]);
    expect(passing([{ kind: 'condition', column: 'Quantity', op: 'gt', value: '8' }])).toEqual([
      2, 4,
    ]);
  });

  it('combines facets, and ignores one whose column this side does not have', () => {
    const facets = [
      { kind: 'values' as const, column: 'Currency Code', values: ['USD', 'EUR'] },
      { kind: 'range' as const, column: 'Quantity', from: '5', to: null },
      { kind: 'values' as const, column: 'Gone', values: ['x'] },
    ];
    expect(passing(facets)).toEqual([2, 4]);
    expect(facetFilter(facets, COLS).applied).toEqual([true, true, false]);
  });
});

describe('ColumnStats', () => {
  it('profiles a date column: empty share, range, and bins whose ends are values they hold', () => {
    const s = new ColumnStats('Order Date', 'date');
    for (const r of ROWS) s.add(r[0]);
    const p = s.result(10, 2);
    expect(p).toMatchObject({
      rows: 5,
      nullCount: 1,
      distinctCount: 4,
      min: '2016-01-01',
      max: '2020-02-29',
    });
    expect(p.histogram).toEqual([
      { from: '2016-01-01', to: '2017-05-02', count: 3 },
      { from: '2020-02-29', to: '2020-02-29', count: 1 },
    ]);
    // A bin as a range facet matches exactly the rows it counted.
    for (const b of p.histogram)
      expect(
        passing([{ kind: 'range', column: 'Order Date', from: b.from, to: b.to }]),
      ).toHaveLength(b.count);
  });

  it('says what a text column reads as, and counts its top values', () => {
    const s = new ColumnStats('d', 'string');
    for (const v of ['1/1/2016', '1/13/2016', '12/31/2019', '1/13/2016']) s.add(v);
    const p = s.result();
    expect(p.guess).toMatchObject({ type: 'date', formats: ['M/d/yyyy'] });
    expect(p.topValues[0]).toEqual({ value: '1/13/2016', count: 2 });
    expect(p.histogram).toEqual([]);
  });
});
