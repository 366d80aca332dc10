import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

const rows = Array.from({ length: 200 }, (_, i) => [String(i)]);

describe('sample', () => {
  it('rows: exactly that many, in their order, the same for the same seed', () => {
    const a = runSteps([{ step: 'sample', rows: 10, seed: 7 }], ['n'], rows, 16);
    const b = runSteps([{ step: 'sample', rows: 10, seed: 7 }], ['n'], rows, 50);
    const c = runSteps([{ step: 'sample', rows: 10, seed: 8 }], ['n'], rows, 16);
    expect(a.rows).toHaveLength(10);
    expect(a.rows).toEqual(b.rows);
    expect(a.rows).not.toEqual(c.rows);
    const ns = a.rows.map((x) => Number(x[0]));
    expect([...ns].sort((x, y) => x - y)).toEqual(ns);
    expect(a.reports[0]).toMatchObject({ rowsIn: 200, rowsOut: 10, rowsRemoved: 190 });
  });
  it('fraction: about that share, replayable', () => {
    const a = runSteps([{ step: 'sample', fraction: 0.25, seed: 3 }], ['n'], rows);
    expect(a.rows.length).toBeGreaterThan(30);
    expect(a.rows.length).toBeLessThan(70);
    expect(runSteps([{ step: 'sample', fraction: 0.25, seed: 3 }], ['n'], rows).rows).toEqual(
      a.rows,
    );
  });
  it('more rows than there are keeps them all; needs rows or fraction', () => {
    expect(runSteps([{ step: 'sample', rows: 500 }], ['n'], rows).rows).toHaveLength(200);
    expect(() => runSteps([{ step: 'sample' }], ['n'], [])).toThrow(/rows or fraction/);
  });
});
