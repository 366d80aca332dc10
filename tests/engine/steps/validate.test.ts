import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

describe('validate', () => {
  it('rejects invalid emails with the rule in the reason; nulls pass unless not_null', () => {
    const r = runSteps(
      [{ step: 'validate', rules: [{ column: 'e', email: true }] }],
      ['e'],
      [['a@b.co'], ['nope'], [null]],
    );
    expect(r.rows).toEqual([['a@b.co'], [null]]);
    expect(r.rejects[0].reason).toBe('e: "nope" fails "e is an email address"');
    const nn = runSteps(
      [{ step: 'validate', rules: [{ column: 'e', not_null: true }] }],
      ['e'],
      [['x'], [null]],
    );
    expect(nn.rejects).toHaveLength(1);
  });
  it('replace and null change the value instead of the row count', () => {
    const r = runSteps(
      [
        {
          step: 'validate',
          rules: [
            {
              column: 'e',
              regex: '^\\S+@\\S+$',
              on_invalid: 'replace',
              replacement: 'invalid@company.com',
            },
            { column: 'g', allowed: ['M', 'F'], on_invalid: 'null' },
          ],
        },
      ],
      ['e', 'g'],
      [
        ['bad', 'X'],
        ['a@b', 'F'],
      ],
    );
    expect(r.rows).toEqual([
      ['invalid@company.com', null],
      ['a@b', 'F'],
    ]);
    expect(r.reports[0]).toMatchObject({ rowsOut: 2, cellsChanged: 2 });
  });
  it('flags into a boolean column', () => {
    const r = runSteps(
      [
        { step: 'cast', columns: { n: 'int' } },
        {
          step: 'validate',
          rules: [{ column: 'n', range: { min: 1, max: 10 }, on_invalid: 'flag' }],
        },
      ],
      ['n'],
      [['5'], ['0'], ['11']],
    );
    expect(r.columns).toEqual(['n', 'n_invalid']);
    expect(r.rows).toEqual([
      ['5', 'false'],
      ['0', 'true'],
      ['11', 'true'],
    ]);
  });
  it('unique marks later repeats as invalid, across batches', () => {
    const r = runSteps(
      [{ step: 'validate', rules: [{ column: 'k', unique: true }] }],
      ['k'],
      [['a'], ['b'], ['a'], ['c'], ['b']],
      2,
    );
    expect(r.rows.map((x) => x[0])).toEqual(['a', 'b', 'c']);
    expect(r.rejects.map((x) => x.line)).toEqual([4, 6]);
  });
  it('refuses a rule with nothing to check, and range on text', () => {
    expect(() => runSteps([{ step: 'validate', rules: [{ column: 'k' }] }], ['k'], [])).toThrow(
      /needs one of/,
    );
    expect(() =>
      runSteps([{ step: 'validate', rules: [{ column: 'k', range: { min: 1 } }] }], ['k'], []),
    ).toThrow(/range needs a number column/);
  });
});
