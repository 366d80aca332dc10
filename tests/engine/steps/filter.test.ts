import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

const typed = [
  { step: 'cast', columns: { q: 'int' } },
  { step: 'parse_dates', columns: ['Order Date'], formats: ['yyyy-MM-dd'] },
];
const rows = [
  ['1', '2019-01-05', 'USD'],
  ['0', '2020-06-01', 'EUR'],
  [null, '2021-01-01', 'USD'],
  ['5', '2018-12-31', 'GBP'],
];

describe('filter', () => {
  it('keeps rows where the expression is true; false and null are removed with the expression as reason', () => {
    const r = runSteps(
      [...typed, { step: 'filter', where: 'q > 0' }],
      ['q', 'Order Date', 'c'],
      rows,
    );
    expect(r.rows.map((x) => x[0])).toEqual(['1', '5']);
    expect(r.removed.map((x) => x.reason)).toEqual(['filter: q > 0', 'filter: q > 0']);
  });
  it('compares dates with ISO literals and uses functions and IN', () => {
    const r = runSteps(
      [
        ...typed,
        {
          step: 'filter',
          where:
            "[Order Date] >= '2019-01-01' and c in ('USD', 'EUR') and year([Order Date]) < 2021",
        },
      ],
      ['q', 'Order Date', 'c'],
      rows,
    );
    expect(r.rows.map((x) => x[1])).toEqual(['2019-01-05', '2020-06-01']);
  });
  it('reports type errors and unknown columns when planned, not per row', () => {
    expect(() =>
      runSteps([...typed, { step: 'filter', where: 'c * 2 > 1' }], ['q', 'Order Date', 'c'], rows),
    ).toThrow(/needs numbers, not string/);
    expect(() => runSteps([{ step: 'filter', where: 'nope = 1' }], ['a'], [])).toThrow(
      /unknown column "nope"/,
    );
    expect(() => runSteps([{ step: 'filter', where: 'a = ' }], ['a'], [])).toThrow(
      /unexpected end/,
    );
  });
  it('is not eval', () => {
    expect(() =>
      runSteps([{ step: 'filter', where: 'process.exit(1)' }], ['a'], [['x']]),
    ).toThrow();
  });
});
