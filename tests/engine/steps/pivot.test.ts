import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

const rows = [
  ['s1', 'USD', '2'],
  ['s1', 'EUR', '3'],
  ['s1', 'USD', '5'],
  ['s2', 'EUR', '1'],
  ['s2', 'JPY', '9'],
];

describe('pivot', () => {
  it('one row per index value, one column per listed value, summed; empty cells null', () => {
    const r = runSteps(
      [
        { step: 'cast', columns: { q: 'int' } },
        {
          step: 'pivot',
          index: ['store'],
          columns: 'cur',
          column_values: ['USD', 'EUR'],
          values: 'q',
        },
      ],
      ['store', 'cur', 'q'],
      rows,
    );
    expect(r.columns).toEqual(['store', 'USD', 'EUR']);
    expect(r.rows).toEqual([
      ['s1', '7', '3'],
      ['s2', null, '1'],
    ]);
    expect(r.removed.map((x) => x.reason)).toEqual(['cur "JPY" is not among column_values']);
    expect(r.reports[1]).toMatchObject({ rowsIn: 5, rowsOut: 2, rowsRemoved: 1, rowsMerged: 2 });
  });
  it('other functions, and no index at all', () => {
    const r = runSteps(
      [
        { step: 'cast', columns: { q: 'int' } },
        {
          step: 'pivot',
          columns: 'cur',
          column_values: ['USD', 'EUR', 'JPY'],
          values: 'q',
          fn: 'count',
        },
      ],
      ['store', 'cur', 'q'],
      rows,
    );
    expect(r.rows).toEqual([['2', '2', '1']]);
  });
});
