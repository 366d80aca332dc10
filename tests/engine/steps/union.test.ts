import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';
import { batchFromRows, numColumn } from '../../../src-main/engine/table';

function other() {
  const b = batchFromRows(
    ['id', 'extra'],
    [
      [null, 'x'],
      [null, 'y'],
    ],
  );
  const id = numColumn(2);
  id.values.set([10, 11]);
  id.valid.fill(1);
  b.columns[0] = id;
  b.fields = [
    { name: 'id', type: 'int' },
    { name: 'extra', type: 'string' },
  ];
  return b;
}

describe('union', () => {
  it('appends the other rows by column name, with a source column; the rest are nulls', () => {
    const r = runSteps(
      [
        { step: 'cast', columns: { id: 'int' } },
        { step: 'union', with: { pipeline: 'b' }, source_column: 'src', label: 'a' },
      ],
      ['id', 'name'],
      [['1', 'one']],
      2,
      { b: other() },
    );
    expect(r.columns).toEqual(['id', 'name', 'extra', 'src']);
    expect(r.types).toEqual(['int', 'string', 'string', 'string']);
    expect(r.rows).toEqual([
      ['1', 'one', null, 'a'],
      ['10', null, 'x', 'pipeline b'],
      ['11', null, 'y', 'pipeline b'],
    ]);
    expect(r.reports[1]).toMatchObject({ rowsIn: 1, rowsOut: 3, rowsAdded: 2 });
  });
  it('a column typed differently on the two sides becomes text', () => {
    const r = runSteps([{ step: 'union', with: { csv: 'b.csv' } }], ['id'], [['A-1']], 2, {
      'b.csv': other(),
    });
    expect(r.types).toEqual(['string', 'string']);
    expect(r.rows.map((x) => x[0])).toEqual(['A-1', '10', '11']);
  });
});
