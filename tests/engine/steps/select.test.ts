import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

describe('select', () => {
  it('keeps the listed columns in the listed order', () => {
    const r = runSteps(
      [{ step: 'select', columns: ['c', 'a'] }],
      ['a', 'b', 'c'],
      [['1', '2', '3']],
    );
    expect(r.columns).toEqual(['c', 'a']);
    expect(r.rows).toEqual([['3', '1']]);
  });
  it('refuses unknown or repeated columns', () => {
    expect(() => runSteps([{ step: 'select', columns: ['z'] }], ['a'], [])).toThrow(
      /unknown column "z"/,
    );
    expect(() => runSteps([{ step: 'select', columns: ['a', 'a'] }], ['a'], [])).toThrow(
      /listed twice/,
    );
  });
});
