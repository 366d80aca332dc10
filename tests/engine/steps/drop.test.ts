import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

describe('drop', () => {
  it('removes the listed columns only', () => {
    const r = runSteps(
      [{ step: 'drop', columns: ['b'] }],
      ['a', 'b', 'c'],
      [
        ['1', '2', '3'],
        ['4', null, '6'],
      ],
    );
    expect(r.columns).toEqual(['a', 'c']);
    expect(r.rows).toEqual([
      ['1', '3'],
      ['4', '6'],
    ]);
  });
});
