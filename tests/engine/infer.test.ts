import { describe, expect, it } from 'vitest';
import { Profiler } from '../../src-main/engine/profile';
import { batchFromRows } from '../../src-main/engine/table';

function profile(names: string[], rows: (string | null)[][]) {
  const p = new Profiler(names);
  p.add(batchFromRows(names, rows));
  return p.result();
}
const col = (values: (string | null)[]) =>
  profile(
    ['x'],
    values.map((v) => [v]),
  ).columns[0];

describe('type inference', () => {
  it('finds int, float, decimal-with-currency, boolean, email and string', () => {
    expect(col(['1', '22', '-3', '']).guess.type).toBe('int');
    expect(col(['1.5', '2', '-0.25']).guess.type).toBe('float');
    expect(col(['$1,234.50 ', '$12.99 ', '(3.00)']).guess).toMatchObject({
      type: 'decimal',
      confidence: 1,
    });
    expect(col(['yes', 'No', 'TRUE']).guess.type).toBe('boolean');
    expect(col(['a@b.co', 'x.y@example.org']).guess.type).toBe('email');
    expect(col(['apple', '12']).guess.type).toBe('string');
  });
  it('keeps zip codes with leading zeros as text', () => {
    expect(col(['01234', '90210', '02139']).guess.type).toBe('string');
  });
  it('gives a confidence and examples of values that do not fit', () => {
    const values = [...Array.from({ length: 99 }, (_, i) => String(i)), 'oops'];
    const g = col(values).guess;
    expect(g).toMatchObject({ type: 'int', misfits: ['oops'] });
    expect(g.confidence).toBeCloseTo(0.99);
  });
  it('decides one day/month order from the values that can only be read one way', () => {
    // Most frequent rendering first.
    const g = col(['07-03-1939', '9/27/1979', '11/19/1965', '01-12-2008', '1/13/2000']).guess;
    expect(g).toMatchObject({ type: 'date', formats: ['M/d/yyyy', 'MM-dd-yyyy'] });
    const dm = col(['27/09/1979', '03.07.1939', '1/2/2000']).guess;
    expect(dm.type).toBe('date');
    expect(dm.formats).toContain('d/M/yyyy');
    expect(dm.formats).toContain('dd.MM.yyyy');
  });
  it('refuses to guess when no value decides the order, or when values disagree', () => {
    const none = col(['01-02-2020', '03-04-2020']).guess;
    expect(none.type).toBe('string');
    expect(none.note).toMatch(/no value decides whether the day or the month comes first/);
    const both = col(['13/01/2020', '01/13/2020']).guess;
    expect(both.type).toBe('string');
    expect(both.note).toMatch(/1 values can only be month-first and 1 only day-first/);
  });
  it('reads ISO dates and datetimes without ambiguity', () => {
    expect(col(['2020-01-02', '2021-12-31']).guess).toMatchObject({
      type: 'date',
      formats: ['yyyy-MM-dd'],
    });
    expect(col(['2020-01-02T10:00:00', '2021-12-31T23:59:59']).guess).toMatchObject({
      type: 'datetime',
      formats: ["yyyy-MM-dd'T'HH:mm:ss"],
    });
  });
});

describe('profiles', () => {
  it('counts nulls and distinct values, min/max, top values, lengths and a histogram over all rows', () => {
    const c = col(['5', '1', '1', null, '', '10', 'N/A']);
    expect(c).toMatchObject({
      nullCount: 3,
      distinctCount: 3,
      min: '1',
      max: '10',
      lengthMin: 1,
      lengthMax: 2,
    });
    expect(c.topValues[0]).toEqual({ value: '1', count: 2 });
    expect(c.histogram.reduce((s, b) => s + b.count, 0)).toBe(4);
    expect(c.histogram[0]).toEqual({ from: '1', to: '1.9', count: 2 });
  });
  it('makes date histograms in ISO dates', () => {
    const c = col(['2020-01-01', '2020-01-11']);
    expect(c.min).toBe('2020-01-01');
    expect(c.histogram[0].from).toBe('2020-01-01');
  });
});

describe('key suggestion', () => {
  it('prefers one unique non-null column', () => {
    expect(
      profile(
        ['a', 'id'],
        [
          ['x', '1'],
          ['x', '2'],
        ],
      ).suggestedKey,
    ).toEqual(['id']);
  });
  it('finds the smallest composite key, leftmost first', () => {
    const rows = [
      ['1', '1', 'a'],
      ['1', '2', 'b'],
      ['2', '1', 'a'],
    ];
    expect(profile(['order', 'line', 'v'], rows).suggestedKey).toEqual(['order', 'line']);
  });
  it('ignores columns with nulls, and gives up beyond three columns', () => {
    expect(
      profile(
        ['a', 'b'],
        [
          ['1', null],
          ['2', '1'],
        ],
      ).suggestedKey,
    ).toEqual(['a']);
    expect(
      profile(
        ['a', 'b'],
        [
          ['1', '1'],
          ['1', '1'],
        ],
      ).suggestedKey,
    ).toBeNull();
  });
});
