/**
 * The positions of a block's delimiters, quotes and line breaks, found by the WebAssembly SIMD
 * function 16 bytes at a time, against a loop over every byte: any bytes, lengths on either side
 * of each 16, any delimiter and quote, and a block after a larger one (the memory is reused).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findStops, simdStops, stopsInJs } from '../../src-main/io/csv-stops';
import { fuzz } from '../helpers/fuzz';

/** The positions the slow way: every byte looked at. */
function reference(b: Uint8Array, len: number, delim: number, quote: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < len; i++) if ([delim, quote, 10, 13].includes(b[i])) out.push(i);
  return [...out, len];
}

describe('finding the stops of a block', () => {
  it('runs as WebAssembly SIMD here', () => {
    expect(simdStops()).toBe(true);
  });

  it('finds every delimiter, quote, LF and CR, in order, and nothing past the length', async () => {
    await fuzz(
      'findStops vs every byte',
      fc.property(
        // Mostly the bytes that matter, among any others.
        fc.array(
          fc.oneof(
            fc.constantFrom(44, 59, 9, 34, 39, 10, 13, 97, 124),
            fc.integer({ min: 0, max: 255 }),
          ),
          { maxLength: 200 },
        ),
        fc.nat(40),
        fc.constantFrom(44, 59, 9, 124),
        fc.constantFrom(34, 39),
        (bytes, cut, delim, quote) => {
          // A length short of the bytes there: what lies past it is not looked at.
          const b = new Uint8Array(bytes);
          const len = Math.max(0, b.length - cut);
          const want = reference(b, len, delim, quote);
          expect(Array.from(findStops(b, len, delim, quote))).toEqual(want);
          expect(Array.from(stopsInJs(b, len, delim, quote))).toEqual(want);
        },
      ),
      3000,
    );
  });

  it('finds them in a block of a million bytes, and in a small one after it', () => {
    const big = new Uint8Array(1 << 20);
    for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 27 < 3 ? 44 : 65 + (i % 26);
    big[big.length - 1] = 10;
    const stops = findStops(big, big.length, 44, 34);
    expect(Array.from(stops)).toEqual(reference(big, big.length, 44, 34));
    expect(stops.length).toBeGreaterThan(1000);
    const small = new Uint8Array([97, 44, 34, 98, 34, 13, 10, 44]);
    for (let len = 0; len <= small.length; len++)
      expect(Array.from(findStops(small, len, 44, 34))).toEqual(reference(small, len, 44, 34));
  });
});
