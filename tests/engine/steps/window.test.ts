import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

describe('window', () => {
  it('row_number, rank, lag, lead and running figures within ordered partitions, rows in place', () => {
    const r = runSteps(
      [
        { step: 'cast', columns: { v: 'int' } },
        {
          step: 'window',
          partition_by: ['g'],
          order_by: ['v'],
          functions: [
            { fn: 'row_number', as: 'n' },
            { fn: 'rank', as: 'rk' },
            { fn: 'lag', column: 'v', as: 'prev' },
            { fn: 'lead', column: 'v', as: 'next' },
            { fn: 'running_sum', column: 'v', as: 'sum' },
            { fn: 'running_mean', column: 'v', as: 'mean' },
          ],
        },
      ],
      ['g', 'v'],
      [
        ['a', '3'],
        ['b', '5'],
        ['a', '1'],
        ['a', '3'],
        ['b', null],
      ],
    );
    expect(r.columns).toEqual(['g', 'v', 'n', 'rk', 'prev', 'next', 'sum', 'mean']);
    expect(r.rows).toEqual([
      ['a', '3', '2', '2', '1', '3', '4', '2'],
      ['b', '5', '1', '1', null, null, '5', '5'],
      ['a', '1', '1', '1', null, '3', '1', '1'],
      ['a', '3', '3', '2', '3', null, '7', '2.3333333333333335'],
      ['b', null, '2', '2', '5', null, '5', '5'],
    ]);
  });
  it('needs a column for lag and running figures', () => {
    expect(() =>
      runSteps(
        [{ step: 'window', order_by: ['g'], functions: [{ fn: 'lag', as: 'x' }] }],
        ['g'],
        [],
      ),
    ).toThrow(/lag needs a column/);
    expect(() =>
      runSteps(
        [
          {
            step: 'window',
            order_by: ['g'],
            functions: [{ fn: 'running_sum', column: 'g', as: 'x' }],
          },
        ],
        ['g'],
        [],
      ),
    ).toThrow(/needs a number column/);
  });
});
