import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

describe('trim', () => {
  it('trims every text column and counts changed cells', () => {
    const r = runSteps(
      [{ step: 'trim' }],
      ['a', 'b'],
      [
        [' x ', 'y'],
        ['\tz', null],
        ['', '  '],
      ],
    );
    expect(r.rows).toEqual([
      ['x', 'y'],
      ['z', null],
      ['', ''],
    ]);
    expect(r.reports[0]).toMatchObject({ rowsIn: 3, rowsOut: 3, cellsChanged: 3 });
  });
  it('only touches the listed columns and can collapse inner spaces', () => {
    const r = runSteps(
      [{ step: 'trim', columns: ['b'], collapse_spaces: true }],
      ['a', 'b'],
      [[' a ', ' b   c ']],
    );
    expect(r.rows).toEqual([[' a ', 'b c']]);
  });
  it('names an unknown column', () => {
    expect(() => runSteps([{ step: 'trim', columns: ['nope'] }], ['a'], [['x']])).toThrow(
      /unknown column "nope".*a/,
    );
  });
  it('handles empty input', () => {
    const r = runSteps([{ step: 'trim' }], ['a'], []);
    expect(r.rows).toEqual([]);
    expect(r.reports[0].rowsIn).toBe(0);
  });
});
