import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

const nums = [['1'], [null], ['4'], [null], ['10']];

describe('fill_missing', () => {
  const fill = (strategy: unknown, type = 'float') => [
    { step: 'cast', columns: { n: type } },
    { step: 'fill_missing', columns: { n: strategy } },
  ];
  it('mean, median and mode over all rows, not the batch', () => {
    expect(runSteps(fill('mean'), ['n'], nums).rows.map((x) => x[0])).toEqual([
      '1',
      '5',
      '4',
      '5',
      '10',
    ]);
    expect(runSteps(fill('median'), ['n'], nums).rows.map((x) => x[0])).toEqual([
      '1',
      '4',
      '4',
      '4',
      '10',
    ]);
    expect(
      runSteps(fill('mode'), ['n'], [['3'], [null], ['2'], ['3']]).rows.map((x) => x[0]),
    ).toEqual(['3', '3', '2', '3']);
  });
  it('rounds the mean of a whole-number column and says so', () => {
    const r = runSteps(fill('mean', 'int'), ['n'], [['1'], ['2'], [null]]);
    expect(r.rows.map((x) => x[0])).toEqual(['1', '2', '2']);
    expect(r.reports[1].warnings.join()).toMatch(/filled with mean 2/);
  });
  it('forward and backward fill across batches', () => {
    const rows = [['a'], [null], [null], ['b'], [null]];
    expect(
      runSteps([{ step: 'fill_missing', columns: { n: 'forward_fill' } }], ['n'], rows, 2).rows.map(
        (x) => x[0],
      ),
    ).toEqual(['a', 'a', 'a', 'b', 'b']);
    expect(
      runSteps(
        [{ step: 'fill_missing', columns: { n: 'backward_fill' } }],
        ['n'],
        rows,
        2,
      ).rows.map((x) => x[0]),
    ).toEqual(['a', 'b', 'b', 'b', null]);
  });
  it('constant and drop, with drop reported as removed rows', () => {
    const r = runSteps(
      [{ step: 'fill_missing', columns: { a: { constant: 'none' }, b: 'drop' } }],
      ['a', 'b'],
      [
        [null, '1'],
        ['x', null],
      ],
    );
    expect(r.rows).toEqual([['none', '1']]);
    expect(r.removed[0]).toMatchObject({ reason: 'missing b', line: 3 });
  });
  it('refuses mean on text and constants that do not fit', () => {
    expect(() => runSteps([{ step: 'fill_missing', columns: { a: 'mean' } }], ['a'], [])).toThrow(
      /needs a number column/,
    );
    expect(() => runSteps(fill({ constant: 'abc' }), ['n'], [])).toThrow(/does not fit/);
  });
  it('leaves an all-null column alone with a warning', () => {
    const r = runSteps(fill('mean'), ['n'], [[null], [null]]);
    expect(r.rows).toEqual([[null], [null]]);
    expect(r.reports[1].warnings.join()).toMatch(/no values/);
  });
});
