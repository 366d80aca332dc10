import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  civilFromDays,
  compileDateFormat,
  daysFromCivil,
  formatIsoDate,
  formatIsoDateTime,
  formatWith,
  MS_PER_DAY,
} from '../../src-main/engine/dates';

describe('calendar arithmetic', () => {
  it('agrees with Date.UTC over four centuries (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1800, max: 2200 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        (y, m, d) => {
          const days = daysFromCivil(y, m, d);
          expect(days * MS_PER_DAY).toBe(Date.UTC(y, m - 1, d));
          expect(civilFromDays(days)).toEqual([y, m, d]);
        },
      ),
    );
  });
  it('formats ISO dates and datetimes', () => {
    expect(formatIsoDate(0)).toBe('1970-01-01');
    expect(formatIsoDate(daysFromCivil(2000, 2, 29))).toBe('2000-02-29');
    expect(formatIsoDateTime(Date.UTC(2021, 0, 5, 13, 5, 9))).toBe('2021-01-05T13:05:09');
    expect(formatIsoDateTime(Date.UTC(2021, 0, 5, 13, 5, 9, 7))).toBe('2021-01-05T13:05:09.007');
    expect(formatIsoDate(daysFromCivil(1899, 12, 31))).toBe('1899-12-31');
  });
});

describe('date formats', () => {
  it('parses tokens and refuses impossible dates', () => {
    const f = compileDateFormat('M/d/yyyy');
    expect(f.parse('9/27/1979')).toBe(Date.UTC(1979, 8, 27));
    expect(f.parse('2/29/2021')).toBeNull();
    expect(f.parse('2/29/2020')).toBe(Date.UTC(2020, 1, 29));
    expect(f.parse('13/1/2020')).toBeNull();
    expect(f.parse('9/27/1979 ')).toBeNull();
    expect(compileDateFormat('MM-dd-yyyy').parse('7-03-1939')).toBeNull();
    expect(compileDateFormat('dd MMM yy').parse('04 mar 21')).toBe(Date.UTC(2021, 2, 4));
    expect(compileDateFormat('d MMMM yyyy').parse('4 September 1999')).toBe(Date.UTC(1999, 8, 4));
    expect(compileDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS").parse('2020-01-02T03:04:05.6')).toBe(
      Date.UTC(2020, 0, 2, 3, 4, 5, 600),
    );
    expect(compileDateFormat('h:mm a d/M/yyyy').parse('12:30 AM 1/1/2020')).toBe(
      Date.UTC(2020, 0, 1, 0, 30),
    );
  });
  it('explains bad formats', () => {
    expect(() => compileDateFormat('yyyy-MM')).toThrow(/needs a year, a month and a day/);
    expect(() => compileDateFormat('yyyy-MM-dd Q')).toThrow(/unknown letter "Q"/);
    expect(() => compileDateFormat('h:mm yyyy-MM-dd')).toThrow(/am\/pm/);
  });
  it('formats with the same tokens it parses (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: daysFromCivil(1900, 1, 1), max: daysFromCivil(2100, 12, 31) }),
        fc.constantFrom('yyyy-MM-dd', 'd/M/yyyy', 'MM-dd-yyyy', 'dd MMM yyyy'),
        (days, fmt) => {
          const ms = days * MS_PER_DAY;
          expect(compileDateFormat(fmt).parse(formatWith(fmt, ms))).toBe(ms);
        },
      ),
    );
  });
});

describe('the regex-free parser of all-digit formats', () => {
  it('reads as the regular expression does', () => {
    // A literal in quotes keeps a format on the regular expression: the same format twice.
    const pairs = [
      ['M/d/yyyy', "M'/'d'/'yyyy"],
      ['MM-dd-yyyy', "MM'-'dd'-'yyyy"],
      ['yyyy-MM-dd', "yyyy'-'MM'-'dd"],
      ['d.M.yy', "d'.'M'.'yy"],
      ['yyyyMMdd', "yyyyMMdd''"],
    ];
    const text = fc.oneof(
      fc.stringMatching(/^[0-9]{1,4}[-/.]?[0-9]{1,4}[-/.]?[0-9]{0,5}$/),
      fc.constantFrom('2/29/2016', '2/29/2015', '12-31-1999', '00-01-2000', '1/1/16', ' 1/1/2016'),
      fc.constantFrom('1.1.69', '31.12.68', '1.1.70', '29.2.00', '20160229', '2016022'),
    );
    for (const [fast, slow] of pairs) {
      const f = compileDateFormat(fast);
      const s = compileDateFormat(slow);
      fc.assert(
        fc.property(text, (t) => {
          expect(f.parse(t), `${fast} ${t}`).toBe(s.parse(t));
        }),
        { numRuns: 2000 },
      );
    }
  });
});
