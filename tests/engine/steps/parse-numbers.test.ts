import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

describe('parse_numbers', () => {
  it('reads currency, thousands, percent and parentheses', () => {
    const r = runSteps(
      [{ step: 'parse_numbers', columns: ['p'] }],
      ['p'],
      [['$1,234.50 '], ['(12.00)'], ['-€3'], ['45%'], ['USD 7'], ['1,000,000'], [null]],
    );
    expect(r.types).toEqual(['decimal']);
    expect(r.rows.map((x) => x[0])).toEqual(['1234.5', '-12', '-3', '0.45', '7', '1000000', null]);
  });
  it('rejects malformed numbers', () => {
    const r = runSteps(
      [{ step: 'parse_numbers', columns: ['p'] }],
      ['p'],
      [['1,23'], ['$$4'], ['12abc'], ['-(3)']],
    );
    expect(r.rows).toEqual([]);
    expect(r.rejects).toHaveLength(4);
  });
  it('supports a comma decimal mark', () => {
    const r = runSteps(
      [{ step: 'parse_numbers', columns: ['p'], decimal: ',', thousands: '.' }],
      ['p'],
      [['1.234,5 €']],
    );
    expect(r.rows).toEqual([['1234.5']]);
  });
  it('int type refuses fractions', () => {
    const r = runSteps(
      [{ step: 'parse_numbers', columns: ['p'], type: 'int', on_invalid: 'null' }],
      ['p'],
      [['1,200'], ['1.5']],
    );
    expect(r.rows).toEqual([['1200'], [null]]);
  });
});
