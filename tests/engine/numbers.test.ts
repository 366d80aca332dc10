import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBoolean, parseIntStrict, parseNumber, scanInt } from '../../src-main/engine/numbers';
import { formatNumber } from '../../src-main/engine/format';

describe('numbers', () => {
  it('reads the renderings found in exports', () => {
    expect(parseNumber('$1,234.50 ')).toBe(1234.5);
    expect(parseNumber(' -$3')).toBe(-3);
    expect(parseNumber('$-3')).toBe(-3);
    expect(parseNumber('(1,000)')).toBe(-1000);
    expect(parseNumber('12.5%')).toBe(0.125);
    expect(parseNumber('EUR 7,5', { decimal: ',', thousands: '.', percent: true })).toBe(7.5);
    expect(parseNumber('1 234,5', { decimal: ',', thousands: ' ', percent: true })).toBe(1234.5);
    expect(parseNumber('.5')).toBe(0.5);
  });
  it('refuses what is not one number', () => {
    for (const bad of [
      '',
      '$',
      '1,23',
      '12,3456',
      '1.2.3',
      'abc',
      '$$1',
      '--1',
      '-(1)',
      '1e',
      '€1$',
    ])
      expect(parseNumber(bad), bad).toBeNull();
  });
  it('the fast path agrees with plain Number() on formatted numbers (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        (mant, k, dollar) => {
          const n = mant / 10 ** k;
          const text =
            (dollar ? '$' : '') +
            n.toLocaleString('en-US', { minimumFractionDigits: k, maximumFractionDigits: k }) +
            ' ';
          const plain = Number(n.toFixed(k));
          expect(parseNumber(n < 0 && dollar ? text.replace('$-', '-$') : text)).toBe(plain);
        },
      ),
    );
  });
  it('integers: strict syntax keeps leading-zero codes as text', () => {
    expect(parseIntStrict('01234')).toBeNull();
    expect(parseIntStrict(' 42 ')).toBe(42);
    expect(scanInt('-17')).toBe(-17);
    expect(scanInt('1.0')).toBeUndefined();
    expect(scanInt('1234567890123456')).toBeUndefined();
  });
  it('booleans', () => {
    expect(['yes', 'Y', 'true', 'T', '1'].map(parseBoolean)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['no', 'n', 'FALSE', 'f', '0'].map(parseBoolean)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(parseBoolean('maybe')).toBeNull();
  });
  it('writes numbers without exponents or noise', () => {
    expect(formatNumber(1234.5)).toBe('1234.5');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(formatNumber(12)).toBe('12');
    expect(formatNumber(2 ** 60)).toBe('1152921504606847000'); // shortest text that reads back the same
    expect(formatNumber(1e21)).toBe('1000000000000000000000');
  });
});

describe('formatNumber (property)', () => {
  it('always reads back to the same number, never with an exponent', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const s = formatNumber(n);
        expect(s).not.toMatch(/e/i);
        expect(Number(s)).toBe(Object.is(n, -0) ? 0 : n);
      }),
    );
  });
});
