import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

describe('limit', () => {
  const rows = Array.from({ length: 7 }, (_, i) => [String(i)]);
  it('keeps rows after the offset, across batches, counting the rest as removed', () => {
    const r = runSteps([{ step: 'limit', rows: 3, offset: 2 }], ['n'], rows, 2);
    expect(r.rows).toEqual([['2'], ['3'], ['4']]);
    expect(r.reports[0]).toMatchObject({
      rowsIn: 7,
      rowsOut: 3,
      rowsRemoved: 4,
      removedReasons: { 'before offset 2': 2, 'beyond limit 3': 2 },
    });
  });
  it('limit 0 keeps nothing; a limit past the end keeps everything', () => {
    expect(runSteps([{ step: 'limit', rows: 0 }], ['n'], rows).rows).toEqual([]);
    expect(runSteps([{ step: 'limit', rows: 100 }], ['n'], rows).rows).toHaveLength(7);
  });
});
