import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

describe('parse_dates', () => {
  it('reads the mixed renderings of the retail data into ISO dates', () => {
    const r = runSteps(
      [{ step: 'parse_dates', columns: ['d'], formats: ['M/d/yyyy', 'MM-dd-yyyy'] }],
      ['d'],
      [['9/27/1979'], ['07-03-1939'], ['12/31/2020'], [null]],
    );
    expect(r.types).toEqual(['date']);
    expect(r.rows.map((x) => x[0])).toEqual(['1979-09-27', '1939-07-03', '2020-12-31', null]);
  });
  it('rejects what matches no format, or nulls it', () => {
    const steps = (on_invalid: string) => [
      { step: 'parse_dates', columns: ['d'], formats: ['yyyy-MM-dd'], on_invalid },
    ];
    const rej = runSteps(steps('reject'), ['d'], [['2020-13-01'], ['2020-01-01']]);
    expect(rej.rows).toEqual([['2020-01-01']]);
    expect(rej.rejects[0].reason).toBe('d: "2020-13-01" is not a date in "yyyy-MM-dd"');
    const nul = runSteps(steps('null'), ['d'], [['soon']]);
    expect(nul.rows).toEqual([[null]]);
  });
  it('writes datetimes and custom output formats', () => {
    const r = runSteps(
      [{ step: 'parse_dates', columns: ['d'], formats: ['d/M/yyyy h:mm a'], output: 'datetime' }],
      ['d'],
      [['5/1/2021 1:05 PM'], ['5/1/2021 12:00 AM']],
    );
    expect(r.rows).toEqual([['2021-01-05T13:05:00'], ['2021-01-05T00:00:00']]);
    const f = runSteps(
      [
        {
          step: 'parse_dates',
          columns: ['d'],
          formats: ['yyyy-MM-dd'],
          output_format: 'dd MMM yyyy',
        },
      ],
      ['d'],
      [['2021-03-04']],
    );
    expect(f.types).toEqual(['string']);
    expect(f.rows).toEqual([['04 Mar 2021']]);
  });
  it('refuses a format without a day', () => {
    expect(() =>
      runSteps([{ step: 'parse_dates', columns: ['d'], formats: ['yyyy-MM'] }], ['d'], []),
    ).toThrow(/needs a year, a month and a day/);
  });
});
