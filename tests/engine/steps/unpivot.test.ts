import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

describe('unpivot', () => {
  it('turns columns into rows, nulls included, and counts the added rows', () => {
    const r = runSteps(
      [
        { step: 'cast', columns: { q1: 'int', q2: 'int' } },
        { step: 'unpivot', keep: ['id'], name: 'quarter', value: 'qty' },
      ],
      ['id', 'q1', 'q2'],
      [
        ['a', '1', '2'],
        ['b', null, '4'],
      ],
    );
    expect(r.columns).toEqual(['id', 'quarter', 'qty']);
    expect(r.types).toEqual(['string', 'string', 'int']);
    expect(r.rows).toEqual([
      ['a', 'q1', '1'],
      ['a', 'q2', '2'],
      ['b', 'q1', null],
      ['b', 'q2', '4'],
    ]);
    expect(r.reports[1]).toMatchObject({ rowsIn: 2, rowsOut: 4, rowsAdded: 2 });
  });
  it('mixed types become text', () => {
    const r = runSteps(
      [
        { step: 'cast', columns: { n: 'int' } },
        { step: 'unpivot', keep: ['id'] },
      ],
      ['id', 'n', 's'],
      [['a', '1', 'x']],
    );
    expect(r.types).toEqual(['string', 'string', 'string']);
    expect(r.rows).toEqual([
      ['a', 'n', '1'],
      ['a', 's', 'x'],
    ]);
  });
});
