import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';
import { batchFromRows, numColumn, type Batch } from '../../../src-main/engine/table';

/** Right side: product id (int) -> name; id 2 appears twice, id 9 matches nothing. */
function products(): Batch {
  const b = batchFromRows(
    ['id', 'name'],
    [
      [null, 'Lamp'],
      [null, 'Desk'],
      [null, 'Desk XL'],
      [null, 'Ghost'],
    ],
  );
  const id = numColumn(4);
  id.values.set([1, 2, 2, 9]);
  id.valid.fill(1);
  b.columns[0] = id;
  b.fields = [
    { name: 'id', type: 'int' },
    { name: 'name', type: 'string' },
  ];
  return b;
}

const left = [
  ['1', 'a'],
  ['2', 'b'],
  ['3', 'c'],
  [null, 'd'],
];
const run = (how: string, extra = {}) =>
  runSteps(
    [
      { step: 'cast', columns: { product: 'int' } },
      {
        step: 'join',
        how,
        with: { pipeline: 'products' },
        on: [{ left: 'product', right: 'id' }],
        ...extra,
      },
    ],
    ['product', 'note'],
    left,
    2,
    { products: products() },
  );

describe('join', () => {
  it('inner: matches fan out, unmatched and null keys are removed with a reason', () => {
    const r = run('inner');
    expect(r.columns).toEqual(['product', 'note', 'name']);
    expect(r.rows).toEqual([
      ['1', 'a', 'Lamp'],
      ['2', 'b', 'Desk'],
      ['2', 'b', 'Desk XL'],
    ]);
    expect(r.removed.map((x) => x.reason)).toEqual([
      'no match in pipeline products',
      'no match in pipeline products',
    ]);
    expect(r.reports[1]).toMatchObject({ rowsIn: 4, rowsOut: 3, rowsAdded: 1, rowsRemoved: 2 });
    expect(r.reports[1].notes).toEqual({
      matched_left: 2,
      unmatched_left: 2,
      unmatched_right: 1,
      fan_out_rows: 1,
      right_duplicate_keys: 1,
    });
    expect(r.reports[1].warnings).toEqual(['1 keys appear more than once in pipeline products']);
  });
  it('left keeps unmatched rows with nulls; full adds right-only rows with their key', () => {
    expect(run('left').rows).toEqual([
      ['1', 'a', 'Lamp'],
      ['2', 'b', 'Desk'],
      ['2', 'b', 'Desk XL'],
      ['3', 'c', null],
      [null, 'd', null],
    ]);
    const full = run('full');
    expect(full.rows[full.rows.length - 1]).toEqual(['9', null, 'Ghost']);
    expect(full.reports[1]).toMatchObject({ rowsIn: 4, rowsOut: 6, rowsAdded: 2 });
    const right = run('right');
    expect(right.rows.map((x) => x[2])).toEqual(['Lamp', 'Desk', 'Desk XL', 'Ghost']);
  });
  it('semi and anti keep left columns only, each left row at most once', () => {
    expect(run('semi').rows).toEqual([
      ['1', 'a'],
      ['2', 'b'],
    ]);
    expect(run('anti').rows).toEqual([
      ['3', 'c'],
      [null, 'd'],
    ]);
  });
  it('can forbid fan-out', () => {
    expect(() => run('inner', { forbid_fan_out: true })).toThrow(
      /matches 2 rows in pipeline products, and fan-out is forbidden/,
    );
  });
  it('matches text keys against number keys by their canonical text, and suffixes clashing names', () => {
    const r = runSteps(
      [{ step: 'join', with: { csv: 'p.csv' }, on: [{ left: 'product', right: 'id' }] }],
      ['product', 'name'],
      [['2', 'mine']],
      2,
      { 'p.csv': products() },
    );
    expect(r.columns).toEqual(['product', 'name', 'name_right']);
    expect(r.rows).toEqual([
      ['2', 'mine', 'Desk'],
      ['2', 'mine', 'Desk XL'],
    ]);
  });
  it('names unknown key columns on either side', () => {
    expect(() =>
      runSteps([{ step: 'join', with: { csv: 'p.csv' }, on: ['zz'] }], ['a'], [], 2, {
        'p.csv': products(),
      }),
    ).toThrow(/unknown column "zz" on the left/);
    expect(() =>
      runSteps([{ step: 'join', with: { csv: 'p.csv' }, on: ['a'] }], ['a'], [], 2, {
        'p.csv': products(),
      }),
    ).toThrow(/unknown column "a" in p.csv \(id, name\)/);
  });
});

describe('join on several keys', () => {
  it('matches only when every key matches, with different names on each side', () => {
    const right = batchFromRows(
      ['d', 'cur', 'rate'],
      [
        ['2020-01-01', 'EUR', '0.9'],
        ['2020-01-01', 'GBP', '0.8'],
        ['2020-01-02', 'EUR', '0.91'],
      ],
    );
    const r = runSteps(
      [
        {
          step: 'join',
          how: 'left',
          with: { csv: 'rates.csv' },
          on: [
            { left: 'day', right: 'd' },
            { left: 'currency', right: 'cur' },
          ],
        },
      ],
      ['day', 'currency'],
      [
        ['2020-01-01', 'EUR'],
        ['2020-01-02', 'GBP'],
        ['2020-01-02', 'EUR'],
      ],
      2,
      { 'rates.csv': right },
    );
    expect(r.columns).toEqual(['day', 'currency', 'rate']);
    expect(r.rows).toEqual([
      ['2020-01-01', 'EUR', '0.9'],
      ['2020-01-02', 'GBP', null],
      ['2020-01-02', 'EUR', '0.91'],
    ]);
    expect(r.reports[0].notes).toMatchObject({
      matched_left: 2,
      unmatched_left: 1,
      unmatched_right: 1,
    });
  });
});
