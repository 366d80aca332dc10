import { describe, expect, it } from 'vitest';
import { applyHint, functionHints } from './function-hints';

const names = (text: string, cursor = text.length): string[] =>
  functionHints(text, cursor)?.functions.map((f) => f.name) ?? [];

describe('function hints', () => {
  it('offers the functions whose names start with the word before the cursor', () => {
    expect(names('upp')).toEqual(['upper']);
    expect(names('qty > 0 and is_')).toEqual(['is_null']);
    expect(names('DA')).toEqual(['date', 'day']);
    expect(names('{total: rou')).toEqual(['round']);
  });
  it('offers nothing inside quotes or a [column name], after a digit, or for a finished call', () => {
    expect(names("name = 'upp")).toEqual([]);
    expect(names('[upp')).toEqual([]);
    expect(names('1e')).toEqual([]);
    expect(names('upper(')).toEqual([]);
    expect(names('lower(x)', 5)).toEqual([]);
    expect(names("name = 'a' and upp")).toEqual(['upper']);
  });
  it('replaces the whole word under the cursor with the call and puts the cursor inside', () => {
    const text = 'qty > 0 and yea + 1';
    const hints = functionHints(text, 14)!;
    expect(hints.functions.map((f) => f.name)).toEqual(['year']);
    expect(applyHint(text, hints, hints.functions[0])).toEqual({
      text: 'qty > 0 and year( + 1',
      cursor: 17,
    });
  });
});
