import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

describe('date_parts', () => {
  it('splits a date into prefixed int columns and counts days between two dates', () => {
    const r = runSteps(
      [
        { step: 'parse_dates', columns: ['o', 'd'], formats: ['yyyy-MM-dd'] },
        {
          step: 'date_parts',
          column: 'o',
          prefix: 'order_',
          days_between: { to: 'd', as: 'delivery_days' },
        },
      ],
      ['o', 'd'],
      [
        ['2020-12-31', '2021-01-04'],
        ['2021-01-04', null],
        [null, '2021-01-01'],
      ],
    );
    expect(r.columns).toEqual([
      'o',
      'd',
      'order_year',
      'order_month',
      'order_day',
      'order_weekday',
      'order_quarter',
      'order_week',
      'delivery_days',
    ]);
    expect(r.types.slice(2)).toEqual(Array(7).fill('int'));
    expect(r.rows[0].slice(2)).toEqual(['2020', '12', '31', '4', '4', '53', '4']);
    expect(r.rows[1].slice(2)).toEqual(['2021', '1', '4', '1', '1', '1', null]);
    expect(r.rows[2].slice(2)).toEqual([null, null, null, null, null, null, null]);
  });
  it('hour and minute of datetimes; refuses them on dates and refuses text', () => {
    const r = runSteps(
      [
        { step: 'cast', columns: { t: 'datetime' } },
        { step: 'date_parts', column: 't', parts: ['hour', 'minute'] },
      ],
      ['t'],
      [['2021-03-04T13:45:00']],
    );
    expect(r.rows).toEqual([['2021-03-04T13:45:00', '13', '45']]);
    expect(() =>
      runSteps(
        [
          { step: 'cast', columns: { t: 'date' } },
          { step: 'date_parts', column: 't', parts: ['hour'] },
        ],
        ['t'],
        [],
      ),
    ).toThrow(/has no hour or minute/);
    expect(() => runSteps([{ step: 'date_parts', column: 't' }], ['t'], [])).toThrow(
      /needs a date or datetime column/,
    );
  });
});
