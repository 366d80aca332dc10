import { describe, expect, it } from 'vitest';
import { plural } from './plural';

describe('plural', () => {
  it('says one row, and rows for every other count, zero included', () => {
    expect(plural(1, 'row')).toBe('1 row');
    expect(plural(0, 'row')).toBe('0 rows');
    expect(plural(62_884, 'row')).toBe(`${(62_884).toLocaleString()} rows`);
    expect(plural(2, 'match', 'matches')).toBe('2 matches');
  });
});
