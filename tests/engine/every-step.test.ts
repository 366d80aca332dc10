/**
 * Every step kind on no rows, one row, and a row of nulls: nothing crashes and the books
 * balance (in + added = out + rejected + removed + merged) for every step.
 */
import { describe, expect, it } from 'vitest';
import { runSteps } from '../helpers/engine';
import { STEPS } from '../../src-main/engine/steps/index';
import { batchFromRows, numColumn } from '../../src-main/engine/table';

const names = ['id', 'name', 'qty', 'day', 'price'];
const typed = { step: 'cast', columns: { id: 'int', qty: 'int', day: 'date', price: 'decimal' } };
const side = () => {
  const b = batchFromRows(['id', 'label'], [[null, 'x']]);
  const id = numColumn(1);
  id.values[0] = 1;
  id.valid[0] = 1;
  b.columns[0] = id;
  b.fields = [
    { name: 'id', type: 'int' },
    { name: 'label', type: 'string' },
  ];
  return b;
};

const CASES: Record<string, unknown> = {
  trim: { step: 'trim' },
  nullify: { step: 'nullify' },
  cast: { step: 'cast', columns: { name: 'string' } },
  parse_dates: {
    step: 'parse_dates',
    columns: ['name'],
    formats: ['yyyy-MM-dd'],
    on_invalid: 'null',
  },
  parse_numbers: { step: 'parse_numbers', columns: ['name'], on_invalid: 'null' },
  dedupe: { step: 'dedupe', key: ['id'], keep: 'last' },
  fill_missing: { step: 'fill_missing', columns: { qty: 'median', name: 'backward_fill' } },
  validate: { step: 'validate', rules: [{ column: 'name', not_null: true, on_invalid: 'flag' }] },
  filter: { step: 'filter', where: 'qty > 0 or qty is null' },
  rename: { step: 'rename', columns: { name: 'label' } },
  select: { step: 'select', columns: ['qty', 'id'] },
  drop: { step: 'drop', columns: ['price'] },
  replace: { step: 'replace', columns: ['name'], values: { a: 'b' } },
  case: { step: 'case', columns: ['name'], to: 'title' },
  derive: { step: 'derive', columns: { total: 'qty * price', y: 'year(day)' } },
  aggregate: {
    step: 'aggregate',
    group_by: ['name'],
    aggregations: [{ column: 'qty', fn: 'std' }, { fn: 'count' }],
  },
  join: { step: 'join', how: 'full', with: { pipeline: 'side' }, on: ['id'] },
  sort: { step: 'sort', by: ['day', { column: 'qty', order: 'desc' }] },
  limit: { step: 'limit', rows: 1 },
  date_parts: { step: 'date_parts', column: 'day' },
  sample: { step: 'sample', rows: 1 },
  union: { step: 'union', with: { pipeline: 'side' }, source_column: 'src' },
  pivot: { step: 'pivot', index: ['id'], columns: 'name', column_values: ['a'], values: 'qty' },
  unpivot: { step: 'unpivot', keep: ['id'], columns: ['qty', 'price'] },
  window: {
    step: 'window',
    partition_by: ['name'],
    order_by: ['day'],
    functions: [
      { fn: 'rank', as: 'r' },
      { fn: 'lag', column: 'qty', as: 'prev' },
    ],
  },
  normalize: { step: 'normalize', columns: ['price'], method: 'robust' },
};

describe('every step kind', () => {
  it('has a case here', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(STEPS).sort());
  });
  for (const [kind, step] of Object.entries(CASES)) {
    it.each([
      ['no rows', []],
      ['one row', [['1', 'a', '3', '2020-02-29', '$9.99']]],
      ['a row of nulls', [[null, null, null, null, null]]],
      [
        'several rows',
        [
          ['1', 'a', '3', '2020-02-29', '$9.99'],
          ['1', 'a', '-1', '2021-01-01', '(1.00)'],
          ['2', 'b', null, null, null],
        ],
      ],
    ])(`${kind}: %s`, (_label, rows) => {
      const r = runSteps([typed, step], names, rows as (string | null)[][], 2, { side: side() });
      for (const s of r.reports)
        expect(s.rowsIn + s.rowsAdded).toBe(
          s.rowsOut + s.rowsRejected + s.rowsRemoved + s.rowsMerged,
        );
      expect(r.rows.every((row) => row.length === r.columns.length)).toBe(true);
    });
  }
});
