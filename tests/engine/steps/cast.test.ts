import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

describe('cast', () => {
  it('casts text to each type', () => {
    const r = runSteps(
      [
        {
          step: 'cast',
          columns: { i: 'int', f: 'float', d: 'decimal', b: 'boolean', dt: 'date', ts: 'datetime' },
        },
      ],
      ['i', 'f', 'd', 'b', 'dt', 'ts'],
      [
        [' 42 ', '-1.5', '$1,234.50 ', 'Yes', '2020-02-29', '2020-02-29T13:45:00'],
        [null, null, null, null, null, null],
      ],
    );
    expect(r.types).toEqual(['int', 'float', 'decimal', 'boolean', 'date', 'datetime']);
    expect(r.rows).toEqual([
      ['42', '-1.5', '1234.5', 'true', '2020-02-29', '2020-02-29T13:45:00'],
      [null, null, null, null, null, null],
    ]);
  });
  it('rejects rows that do not convert, with the value and the reason', () => {
    const r = runSteps(
      [{ step: 'cast', columns: { n: 'int' } }],
      ['n'],
      [['1'], ['1.5'], ['abc'], ['2']],
    );
    expect(r.rows).toEqual([['1'], ['2']]);
    expect(r.rejects.map((x) => [x.line, x.reason])).toEqual([
      [3, 'n: "1.5" is not a whole number'],
      [4, 'n: "abc" is not a whole number'],
    ]);
    expect(r.reports[0]).toMatchObject({ rowsIn: 4, rowsOut: 2, rowsRejected: 2 });
  });
  it('on_error null empties the cell; keep leaves the text', () => {
    const nul = runSteps(
      [{ step: 'cast', columns: { n: 'float' }, on_error: 'null' }],
      ['n'],
      [['x'], ['2']],
    );
    expect(nul.rows).toEqual([[null], ['2']]);
    expect(nul.reports[0].cellsChanged).toBe(1);
    const keep = runSteps(
      [{ step: 'cast', columns: { n: 'float' }, on_error: 'keep' }],
      ['n'],
      [['x'], ['2.50']],
    );
    expect(keep.types).toEqual(['string']);
    expect(keep.rows).toEqual([['x'], ['2.5']]);
    expect(keep.reports[0].warnings.length).toBe(1);
  });
  it('casts dates with explicit formats and refuses impossible dates', () => {
    const r = runSteps(
      [{ step: 'cast', columns: { d: 'date' }, formats: ['d.M.yyyy'] }],
      ['d'],
      [['29.2.2021'], ['28.2.2021']],
    );
    expect(r.rows).toEqual([['2021-02-28']]);
    expect(r.rejects).toHaveLength(1);
  });
  it('casts typed columns: int to string, float to int checks each value', () => {
    const r = runSteps(
      [
        { step: 'cast', columns: { a: 'float', b: 'float' } },
        { step: 'cast', columns: { a: 'string', b: 'int' } },
      ],
      ['a', 'b'],
      [
        ['1.5', '2'],
        ['3', '2.5'],
      ],
    );
    expect(r.types).toEqual(['string', 'int']);
    expect(r.rows).toEqual([['1.5', '2']]);
    expect(r.rejects[0].reason).toMatch(/2.5 is not a whole number/);
  });
  it('refuses casts that make no sense', () => {
    expect(() =>
      runSteps(
        [
          { step: 'cast', columns: { a: 'date' } },
          { step: 'cast', columns: { a: 'boolean' } },
        ],
        ['a'],
        [],
      ),
    ).toThrow(/cannot cast date to boolean/);
  });
});

describe('cast between typed columns', () => {
  it('refuses on_error keep, which a typed column cannot honour', () => {
    expect(() =>
      runSteps(
        [
          { step: 'cast', columns: { a: 'float' } },
          { step: 'cast', columns: { a: 'int' }, on_error: 'keep' },
        ],
        ['a'],
        [],
      ),
    ).toThrow(/on_error: keep applies to casts from text/);
  });
  it('widens dates to datetimes and narrows back', () => {
    const r = runSteps(
      [
        { step: 'cast', columns: { d: 'date' } },
        { step: 'cast', columns: { d: 'datetime' } },
      ],
      ['d'],
      [['2020-02-29']],
    );
    expect(r.rows).toEqual([['2020-02-29T00:00:00']]);
  });
});
