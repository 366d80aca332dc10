import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

const typed = { step: 'cast', columns: { qty: 'int', price: 'decimal', day: 'date' } };

describe('derive', () => {
  it('adds typed columns that can build on each other', () => {
    const r = runSteps(
      [
        typed,
        {
          step: 'derive',
          columns: {
            total: 'qty * price',
            big: 'total > 10',
            label: "case when total > 10 then 'big' when total > 0 then 'small' else 'none' end",
            next_week: 'add_days(day, 7)',
            q: 'quarter(day)',
            wd: 'weekday(day)',
            wk: 'week(day)',
            age: "diff_days(date('2021-01-01'), day)",
            code: "concat(upper(substring(name, 1, 3)), '-', qty)",
            stamp: "format_date(day, 'dd MMM yyyy')",
          },
        },
      ],
      ['qty', 'price', 'day', 'name'],
      [
        ['3', '4.5', '2020-12-31', 'widget'],
        ['0', '2', '2020-01-01', 'gadget'],
        [null, '1', null, null],
      ],
    );
    expect(r.columns.slice(4)).toEqual([
      'total',
      'big',
      'label',
      'next_week',
      'q',
      'wd',
      'wk',
      'age',
      'code',
      'stamp',
    ]);
    expect(r.types.slice(4)).toEqual([
      'float',
      'boolean',
      'string',
      'date',
      'int',
      'int',
      'int',
      'int',
      'string',
      'string',
    ]);
    expect(r.rows[0].slice(4)).toEqual([
      '13.5',
      'true',
      'big',
      '2021-01-07',
      '4',
      '4',
      '53',
      '1',
      'WID-3',
      '31 Dec 2020',
    ]);
    expect(r.rows[1].slice(4)).toEqual([
      '0',
      'false',
      'none',
      '2020-01-08',
      '1',
      '3',
      '1',
      '366',
      'GAD-0',
      '01 Jan 2020',
    ]);
    expect(r.rows[2].slice(4)).toEqual([
      null,
      null,
      'none',
      null,
      null,
      null,
      null,
      null,
      '-', // concat skips nulls
      null,
    ]);
  });
  it('replaces a column in place, with if, coalesce, regex_extract and rounding', () => {
    const r = runSteps(
      [
        { step: 'cast', columns: { n: 'float' } },
        {
          step: 'derive',
          columns: {
            n: 'if(n > 1, round(n, 1), coalesce(n, 0))',
            digits: "regex_extract(s, '(\\d+)', 1)",
            clean: "replace(s, '-', '')",
          },
        },
      ],
      ['n', 's'],
      [
        ['1.26', 'ab-12-cd'],
        [null, 'none'],
        ['0.5', null],
      ],
    );
    expect(r.columns).toEqual(['n', 's', 'digits', 'clean']);
    expect(r.rows).toEqual([
      ['1.3', 'ab-12-cd', '12', 'ab12cd'],
      ['0', 'none', null, 'none'],
      ['0.5', null, null, null],
    ]);
  });
  it('reports type errors with the expression and position, before running', () => {
    expect(() =>
      runSteps(
        [typed, { step: 'derive', columns: { x: 'name * 2' } }],
        ['qty', 'price', 'day', 'name'],
        [],
      ),
    ).toThrow(/x: "\*" needs numbers, not string/);
    expect(() =>
      runSteps(
        [typed, { step: 'derive', columns: { x: "if(qty > 1, 'a', 2)" } }],
        ['qty', 'price', 'day', 'name'],
        [],
      ),
    ).toThrow(/branches give different types: string, number/);
    expect(() =>
      runSteps([{ step: 'derive', columns: { x: 'year(name)' } }], ['name'], []),
    ).toThrow(/year\(\) needs a date, not string/);
  });
  it('keeps row counts: derive never adds or drops rows', () => {
    const r = runSteps([{ step: 'derive', columns: { one: '1' } }], ['a'], [['x'], ['y']]);
    expect(r.reports[0]).toMatchObject({ rowsIn: 2, rowsOut: 2 });
    expect(r.types).toEqual(['string', 'int']);
  });
});
