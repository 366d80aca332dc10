import { afterEach, describe, expect, it, vi } from 'vitest';
import { Step } from '../../../src-shared/recipe/steps';
import { RowKeys } from '../../../src-main/engine/keys';
import { planPipeline } from '../../../src-main/engine/pipeline';
import { batchFromRows } from '../../../src-main/engine/table';
import { runSteps } from '../../helpers/engine';

const rows = [
  ['1', '1', 'a'],
  ['1', '2', 'b'],
  ['1', '1', 'c'],
  ['2', '1', 'd'],
  ['1', '1', 'e'],
];

describe('dedupe', () => {
  it('keeps the first row per key and reports each removed row', () => {
    const r = runSteps([{ step: 'dedupe', key: ['o', 'l'] }], ['o', 'l', 'v'], rows);
    expect(r.rows.map((x) => x[2])).toEqual(['a', 'b', 'd']);
    expect(r.removed.map((x) => x.line)).toEqual([4, 6]);
    expect(r.removed[0].reason).toBe('duplicate o + l');
    expect(r.reports[0]).toMatchObject({
      rowsIn: 5,
      rowsOut: 3,
      rowsRemoved: 2,
      removedReasons: { 'duplicate o + l': 2 },
    });
  });
  it('does not collapse line items that share an order number', () => {
    const r = runSteps(
      [{ step: 'dedupe', key: ['o', 'l'] }],
      ['o', 'l', 'v'],
      [
        ['1', '1', 'a'],
        ['1', '2', 'b'],
        ['1', '3', 'c'],
      ],
    );
    expect(r.rows).toHaveLength(3);
  });
  it('keeps the last, or none, of each duplicated key', () => {
    expect(
      runSteps([{ step: 'dedupe', key: ['o', 'l'], keep: 'last' }], ['o', 'l', 'v'], rows).rows.map(
        (x) => x[2],
      ),
    ).toEqual(['b', 'd', 'e']);
    expect(
      runSteps([{ step: 'dedupe', key: ['o', 'l'], keep: 'none' }], ['o', 'l', 'v'], rows).rows.map(
        (x) => x[2],
      ),
    ).toEqual(['b', 'd']);
  });
  it('uses packed numeric keys after a cast, with the same result', () => {
    const r = runSteps(
      [
        { step: 'cast', columns: { o: 'int', l: 'int' } },
        { step: 'dedupe', key: ['o', 'l'] },
      ],
      ['o', 'l', 'v'],
      rows,
    );
    expect(r.rows.map((x) => x[2])).toEqual(['a', 'b', 'd']);
  });
  it('treats nulls as equal to each other and whole rows as the default key', () => {
    const r = runSteps(
      [{ step: 'dedupe' }],
      ['a', 'b'],
      [
        [null, 'x'],
        [null, 'x'],
        ['', 'x'],
      ],
    );
    expect(r.rows).toEqual([
      [null, 'x'],
      ['', 'x'],
    ]);
  });

  describe('its key table', () => {
    afterEach(() => vi.restoreAllMocks());
    const run = (keep: 'first' | 'last', rowsHint?: () => number | undefined): number[] => {
      const reserve = vi.spyOn(RowKeys.prototype, 'reserve');
      reserve.mockClear();
      const planned = planPipeline(
        [Step.parse({ step: 'dedupe', key: ['o', 'l'], keep })],
        ['o', 'l', 'v'].map((name) => ({ name, type: 'string' as const })),
        { onOutput: () => {}, onRow: () => {} },
        {
          side: () => {
            throw new Error('no sides');
          },
          rowsHint,
        },
      );
      for (let i = 0; i < rows.length; i += 2)
        planned.push(batchFromRows(['o', 'l', 'v'], rows.slice(i, i + 2), 2 + i));
      planned.finish();
      return reserve.mock.calls.map((c) => c[0]);
    };
    it('makes room, once, for the rows the runner expects the source to hold', () => {
      const hint = vi.fn(() => 1_000_000);
      expect(run('first', hint)).toEqual([1_000_000]);
      expect(hint).toHaveBeenCalledTimes(1);
      // No estimate: the table grows as it fills.
      expect(run('first', () => undefined)).toEqual([]);
      expect(run('first')).toEqual([]);
    });
    it('holding every row (keep last or none), makes room for them all', () => {
      expect(run('last')).toEqual([rows.length]);
    });
  });
});
