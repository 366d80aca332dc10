/**
 * Steps that turn text into typed values count a cell as changed when what it shows changes:
 * "1/1/2016" read as the date 2016-01-01 is a change, "2016-01-01" read as that date is not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatValue, readsAs } from '../../src-main/engine/format';
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
  it("parse_dates counts every date of Sales.csv's Order Date and Delivery Date", () => {
    // As the real file writes them: two renderings, month first, Delivery Date mostly empty.
    const rows = [
      ['01-01-2016', null],
      ['01-01-2016', '1/13/2016'],
      ['1/13/2016', '01-20-2016'],
      ['12-31-2019', null],
    ];
    const r = runSteps(
      [{ step: 'parse_dates', columns: ['o', 'd'], formats: ['M/d/yyyy', 'MM-dd-yyyy'] }],
      ['o', 'd'],
      rows,
    );
    expect(r.rows).toEqual([
      ['2016-01-01', null],
      ['2016-01-01', '2016-01-13'],
      ['2016-01-13', '2016-01-20'],
      ['2019-12-31', null],
    ]);
    expect(r.reports[0].cellsChanged).toBe(6);
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

describe('readsAs, the shortcut the count uses', () => {
  it('agrees with formatting the value', () => {
    const text = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc
        .double({ min: -1e6, max: 1e6, noNaN: true })
        .chain((d) => fc.nat(8).map((k) => d.toFixed(k))),
      fc.integer().map((i) => (i % 3 === 0 ? `+${i}` : i % 3 === 1 ? `0${i}` : String(i))),
      fc.stringMatching(/^-?[0-9]{0,18}(\.[0-9]{0,6})?$/),
    );
    fc.assert(
      fc.property(text, fc.constantFrom(1, 1000, 0.001, -1), (t, scale) => {
        // The value a step read from the text may differ from Number(text) ("1.234" read with
        // '.' as the thousands separator is 1234).
        const n = Number(t) * scale;
        if (t === '' || !Number.isFinite(n)) return;
        for (const type of ['int', 'float', 'decimal'] as const)
          expect(readsAs(type, n, t), t).toBe(formatValue(type, n) === t);
      }),
      { numRuns: 3000, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    for (const [type, n, t] of [
      ['date', 16801, '2016-01-01'],
      ['date', 16801, '1/1/2016'],
      ['datetime', 16801 * 86_400_000, '2016-01-01T00:00:00'],
      ['datetime', 16801 * 86_400_000, '2016-01-01 00:00'],
      ['boolean', 1, 'true'],
      ['boolean', 1, 'yes'],
    ] as const)
      expect(readsAs(type, n, t), t).toBe(formatValue(type, n) === t);
  });
});
