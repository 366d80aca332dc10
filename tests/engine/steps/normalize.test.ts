import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

const rows = [['1'], ['2'], ['3'], ['4'], [null]];
const cast = { step: 'cast', columns: { x: 'float' } };

describe('normalize', () => {
  it('z-score with the sample standard deviation (as pandas), into a new column, recording the figures', () => {
    const r = runSteps([cast, { step: 'normalize', columns: ['x'] }], ['x'], rows);
    expect(r.columns).toEqual(['x', 'x_zscore']);
    const z = r.rows.map((x) => (x[1] === null ? null : Number(x[1])));
    // pandas: (x - 2.5) / 1.2909944487358056
    expect(z[0]).toBeCloseTo(-1.161895003862225, 12);
    expect(z[3]).toBeCloseTo(1.161895003862225, 12);
    expect(z[4]).toBeNull();
    expect(r.reports[1].notes).toEqual({
      stats: { x: { center: 2.5, scale: 1.2909944487358056 } },
    });
  });
  it('min-max to a range, in place; robust with median and IQR', () => {
    const mm = runSteps(
      [
        cast,
        { step: 'normalize', columns: ['x'], method: 'minmax', range: [0, 10], in_place: true },
      ],
      ['x'],
      rows,
    );
    expect(mm.rows.map((x) => x[0])).toEqual([
      '0',
      '3.333333333333333',
      '6.666666666666666',
      '10',
      null,
    ]);
    const rb = runSteps(
      [cast, { step: 'normalize', columns: ['x'], method: 'robust' }],
      ['x'],
      rows,
    );
    // median 2.5, IQR 3.25 - 1.75 = 1.5
    expect(rb.rows[0][1]).toBe(String((1 - 2.5) / 1.5));
  });
  it('leaves a column without spread alone, with a warning; uses fixed figures when given', () => {
    const flat = runSteps([cast, { step: 'normalize', columns: ['x'] }], ['x'], [['5'], ['5']]);
    expect(flat.rows).toEqual([
      ['5', '5'],
      ['5', '5'],
    ]);
    expect(flat.reports[1].warnings).toEqual(['x has no spread; left as it is']);
    const fixed = runSteps(
      [cast, { step: 'normalize', columns: ['x'], stats: { x: { center: 1, scale: 2 } } }],
      ['x'],
      [['5']],
    );
    expect(fixed.rows).toEqual([['5', '2']]);
  });
  it('from_run needs an earlier run; refuses text', () => {
    expect(() =>
      runSteps([cast, { step: 'normalize', columns: ['x'], stats: 'from_run' }], ['x'], []),
    ).toThrow(/no earlier successful run/);
    expect(() => runSteps([{ step: 'normalize', columns: ['x'] }], ['x'], [])).toThrow(
      /normalize needs numbers/,
    );
  });
});
