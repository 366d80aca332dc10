import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

describe('case', () => {
  it('upper, lower and title case', () => {
    const rows = [["o'brien-smith of WANDEARAH east"], [null]];
    expect(runSteps([{ step: 'case', columns: ['a'], to: 'upper' }], ['a'], rows).rows[0][0]).toBe(
      "O'BRIEN-SMITH OF WANDEARAH EAST",
    );
    expect(runSteps([{ step: 'case', columns: ['a'], to: 'lower' }], ['a'], rows).rows[0][0]).toBe(
      "o'brien-smith of wandearah east",
    );
    const t = runSteps([{ step: 'case', columns: ['a'], to: 'title' }], ['a'], rows);
    expect(t.rows).toEqual([["O'Brien-Smith Of Wandearah East"], [null]]);
  });
  it('title-cases accented letters', () => {
    expect(
      runSteps([{ step: 'case', columns: 'all', to: 'title' }], ['a'], [['émile zola']]).rows[0][0],
    ).toBe('Émile Zola');
  });
});
