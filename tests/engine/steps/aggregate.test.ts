import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

const names = ['customer', 'order', 'qty', 'day'];
const rows = [
  ['1', '100', '2', '2020-01-05'],
  ['1', '100', '3', '2020-01-05'],
  ['2', '101', null, '2020-02-01'],
  ['1', '102', '5', '2020-03-01'],
  [null, '103', '1', '2020-03-02'],
];
const typed = [
  { step: 'cast', columns: { customer: 'int', order: 'int', qty: 'int', day: 'date' } },
];

describe('aggregate', () => {
  it('groups, skips nulls in values, keeps a null key as a group, and balances the books', () => {
    const r = runSteps(
      [
        ...typed,
        {
          step: 'aggregate',
          group_by: ['customer'],
          aggregations: [
            { column: 'order', fn: 'count_distinct', as: 'orders' },
            { column: 'qty', fn: 'sum', as: 'qty' },
            { column: 'qty', fn: 'mean' },
            { column: 'day', fn: 'min', as: 'first' },
            { column: 'day', fn: 'max', as: 'last' },
            { fn: 'count', as: 'lines' },
            { column: 'qty', fn: 'count', as: 'qty_lines' },
          ],
        },
      ],
      names,
      rows,
    );
    expect(r.columns).toEqual([
      'customer',
      'orders',
      'qty',
      'qty_mean',
      'first',
      'last',
      'lines',
      'qty_lines',
    ]);
    expect(r.types).toEqual(['int', 'int', 'int', 'float', 'date', 'date', 'int', 'int']);
    expect(r.rows).toEqual([
      ['1', '2', '10', '3.3333333333333335', '2020-01-05', '2020-03-01', '3', '3'],
      ['2', '1', '0', null, '2020-02-01', '2020-02-01', '1', '0'],
      [null, '1', '1', '1', '2020-03-02', '2020-03-02', '1', '1'],
    ]);
    expect(r.reports[1]).toMatchObject({ rowsIn: 5, rowsOut: 3, rowsMerged: 2, rowsRemoved: 0 });
  });
  it('median, std and var (sample, as pandas), first and last non-null', () => {
    const r = runSteps(
      [
        { step: 'cast', columns: { v: 'float' } },
        {
          step: 'aggregate',
          aggregations: [
            { column: 'v', fn: 'median' },
            { column: 'v', fn: 'std' },
            { column: 'v', fn: 'var' },
            { column: 'v', fn: 'first' },
            { column: 'v', fn: 'last' },
          ],
        },
      ],
      ['v'],
      [[null], ['2'], ['4'], ['4'], ['4'], ['5'], ['5'], ['7'], ['9'], [null]],
    );
    // pandas: median 4.5, std 2.1380899352993952, var 4.571428571428571
    expect(r.rows).toEqual([['4.5', '2.138089935299395', '4.571428571428571', '2', '9']]);
  });
  it('one value has no spread: std and var are null', () => {
    const r = runSteps(
      [
        { step: 'cast', columns: { v: 'int' } },
        { step: 'aggregate', aggregations: [{ column: 'v', fn: 'std' }] },
      ],
      ['v'],
      [['3']],
    );
    expect(r.rows).toEqual([[null]]);
  });
  it('empty input gives no groups', () => {
    const r = runSteps([{ step: 'aggregate', aggregations: [{ fn: 'count' }] }], ['v'], []);
    expect(r.rows).toEqual([]);
  });
  it('refuses numeric functions on text, and clashing names', () => {
    expect(() =>
      runSteps([{ step: 'aggregate', aggregations: [{ column: 'v', fn: 'sum' }] }], ['v'], []),
    ).toThrow(/sum needs a number column/);
    expect(() =>
      runSteps(
        [{ step: 'aggregate', group_by: ['v'], aggregations: [{ fn: 'count', as: 'v' }] }],
        ['v'],
        [],
      ),
    ).toThrow(/two output columns are called "v"/);
    expect(() =>
      runSteps([{ step: 'aggregate', aggregations: [{ fn: 'sum' }] }], ['v'], []),
    ).toThrow(/only count can go without a column/);
  });
  it('min and max of text compare by code point', () => {
    const r = runSteps(
      [
        {
          step: 'aggregate',
          aggregations: [
            { column: 'v', fn: 'min' },
            { column: 'v', fn: 'max' },
          ],
        },
      ],
      ['v'],
      [['b'], ['A'], ['c']],
    );
    expect(r.rows).toEqual([['A', 'c']]);
  });
});
