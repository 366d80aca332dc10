import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

describe('sort', () => {
  const rows = [
    ['b', '2'],
    ['a', null],
    ['a', '1'],
    [null, '3'],
    ['b', '1'],
  ];
  it('sorts by several keys, stable, nulls last by default', () => {
    const r = runSteps(
      [
        { step: 'cast', columns: { n: 'int' } },
        { step: 'sort', by: ['k', { column: 'n', order: 'desc' }] },
      ],
      ['k', 'n'],
      rows,
    );
    expect(r.rows).toEqual([
      ['a', '1'],
      ['a', null],
      ['b', '2'],
      ['b', '1'],
      [null, '3'],
    ]);
  });
  it('puts nulls first when asked', () => {
    const r = runSteps([{ step: 'sort', by: [{ column: 'k', nulls: 'first' }] }], ['k', 'n'], rows);
    expect(r.rows.map((x) => x[0])).toEqual([null, 'a', 'a', 'b', 'b']);
  });
  it('handles empty and one-row input', () => {
    expect(runSteps([{ step: 'sort', by: ['k'] }], ['k'], []).rows).toEqual([]);
    expect(runSteps([{ step: 'sort', by: ['k'] }], ['k'], [['x']]).rows).toEqual([['x']]);
  });
  it('names an unknown column', () => {
    expect(() => runSteps([{ step: 'sort', by: ['zz'] }], ['k'], [])).toThrow(
      /unknown column "zz"/,
    );
  });
});
