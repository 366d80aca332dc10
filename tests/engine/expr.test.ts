import { describe, expect, it } from 'vitest';
import { compileExpr } from '../../src-main/engine/expr';
import { batchFromRows, numColumn, type Batch, type Field } from '../../src-main/engine/table';

function table(): Batch {
  const b = batchFromRows(
    ['name', 'qty', 'price'],
    [
      ['Ann', null, null],
      ["O'Brien", null, null],
      [null, null, null],
    ],
  );
  const qty = numColumn(3);
  qty.values.set([3, 0, 7]);
  qty.valid.set([1, 1, 0]);
  b.columns[1] = qty;
  const price = numColumn(3);
  price.values.set([2.5, 10, 1]);
  price.valid.set([1, 1, 1]);
  b.columns[2] = price;
  b.fields = [
    { name: 'name', type: 'string' },
    { name: 'qty', type: 'int' },
    { name: 'price', type: 'decimal' },
  ] as Field[];
  return b;
}

const evalAll = (src: string) => {
  const b = table();
  const f = compileExpr(src, b.fields).bind(b);
  return [0, 1, 2].map(f);
};

describe('expressions', () => {
  it('arithmetic with precedence, and nulls that stay null', () => {
    expect(evalAll('qty * price + 1')).toEqual([8.5, 1, null]);
    expect(evalAll('-(qty - 1) * 2')).toEqual([-4, 2, null]);
    expect(evalAll('price / qty')).toEqual([2.5 / 3, null, null]);
  });
  it('three-valued logic and comparisons', () => {
    expect(evalAll('qty > 0 and price < 5')).toEqual([true, false, null]);
    expect(evalAll('qty > 0 or price < 5')).toEqual([true, false, true]);
    expect(evalAll('not qty > 0')).toEqual([false, true, null]);
    expect(evalAll('qty is null')).toEqual([false, false, true]);
    expect(evalAll("name in ('Ann', 'Bob')")).toEqual([true, false, null]);
    expect(evalAll("name not in ('Ann')")).toEqual([false, true, null]);
  });
  it('strings, escaped quotes and functions', () => {
    expect(evalAll("name = 'O''Brien'")).toEqual([false, true, null]);
    expect(evalAll("upper(coalesce(name, 'none'))")).toEqual(['ANN', "O'BRIEN", 'NONE']);
    expect(evalAll("matches(name, '^A')")).toEqual([true, false, null]);
    expect(evalAll('length(name) + round(price, 1)')).toEqual([5.5, 17, null]);
  });
  it('reports errors with their position', () => {
    expect(() => compileExpr('qty >', table().fields)).toThrow(
      /unexpected end of expression at position 6/,
    );
    expect(() => compileExpr('name * 2', table().fields)).toThrow(/"\*" needs numbers, not string/);
    expect(() => compileExpr('frobnicate(qty)', table().fields)).toThrow(
      /unknown function frobnicate\(\)/,
    );
    expect(() => compileExpr("name = 'x", table().fields)).toThrow(/unclosed string/);
    expect(() => compileExpr('qty ; 1', table().fields)).toThrow(/unexpected character ";"/);
    expect(() => compileExpr("qty = 'a'", table().fields)).toThrow(
      /cannot compare number with string/,
    );
  });
});
