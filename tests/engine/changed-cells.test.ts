/**
 * Steps that turn text into typed values count a cell as changed when what it shows changes:
 * "1/1/2016" read as the date 2016-01-01 is a change, "2016-01-01" read as that date is not.
 */
import { describe, expect, it } from 'vitest';
import { runSteps } from '../helpers/engine';

const changed = (steps: unknown[], rows: (string | null)[][], at = 0) =>
  runSteps(steps, ['v'], rows).reports[at].cellsChanged;

describe('changed cells of conversions', () => {
  it('parse_dates counts every date whose text changes', () => {
    const rows = [['1/1/2016'], ['12/31/2019'], ['2016-01-01'], [null]];
    expect(
      changed([{ step: 'parse_dates', columns: ['v'], formats: ['M/d/yyyy', 'yyyy-MM-dd'] }], rows),
    ).toBe(2);
    expect(
      changed(
        [
          {
            step: 'parse_dates',
            columns: ['v'],
            formats: ['M/d/yyyy', 'yyyy-MM-dd'],
            output: 'datetime',
          },
        ],
        rows,
      ),
    ).toBe(3);
  });
  it('parse_numbers counts numbers written differently', () => {
    const rows = [['$1,234.50'], ['12'], ['(3)'], ['7.0'], ['bad']];
    expect(changed([{ step: 'parse_numbers', columns: ['v'], on_invalid: 'null' }], rows)).toBe(4);
  });
  it('cast counts converted text that reads differently, and typed casts that change values', () => {
    expect(
      changed([{ step: 'cast', columns: { v: 'int' } }], [['42'], ['042'], ['+7'], [null]]),
    ).toBe(2);
    expect(changed([{ step: 'cast', columns: { v: 'boolean' } }], [['true'], ['yes'], ['0']])).toBe(
      2,
    );
    const typed = { step: 'cast', columns: { v: 'date' } };
    expect(
      changed(
        [typed, { step: 'cast', columns: { v: 'datetime' } }],
        [['2020-01-01'], ['2021-02-03']],
        1,
      ),
    ).toBe(2);
    expect(
      changed(
        [
          { step: 'cast', columns: { v: 'float' } },
          { step: 'cast', columns: { v: 'int' } },
        ],
        [['1.5'], ['2']],
        1,
      ),
    ).toBe(0);
  });
});
