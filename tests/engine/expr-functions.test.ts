/**
 * The function table (src-shared/recipe/functions.ts) against the engine: every described
 * function is implemented and every implementation described, and every example gives the
 * result the table states for it.
 */
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, signature } from '../../src-shared/recipe/functions';
import { formatIsoDate, formatIsoDateTime } from '../../src-main/engine/dates';
import { compileExpr, IMPLEMENTATIONS } from '../../src-main/engine/expr';
import { batchFromRows } from '../../src-main/engine/table';

/** Evaluates an expression over literals on a one-row batch; dates come back as ISO text. */
function evaluate(expression: string): unknown {
  const batch = batchFromRows([], [[]]);
  const expr = compileExpr(expression, []);
  const v = expr.bind(batch)(0);
  if (v === null) return null;
  if (expr.kind === 'date') return formatIsoDate(v as number);
  if (expr.kind === 'datetime') return formatIsoDateTime(v as number);
  return v;
}

describe('the function table', () => {
  it('describes every implemented function and implements every described one', () => {
    const described = FUNCTIONS.map((f) => f.name).sort();
    expect(Object.keys(IMPLEMENTATIONS).sort()).toEqual(described);
    expect(new Set(described).size).toBe(described.length);
  });

  it('has whole entries: arguments named, optional and repeated ones last, an example each', () => {
    for (const f of FUNCTIONS) {
      expect(f.name).toMatch(/^[a-z_]+$/);
      expect(f.description.length, f.name).toBeGreaterThan(10);
      expect(f.example.expression, f.name).toMatch(new RegExp(`^${f.name}\\(`));
      const firstOptional = f.args.findIndex((a) => a.optional);
      if (firstOptional >= 0)
        expect(f.args.slice(firstOptional).every((a) => a.optional)).toBe(true);
      f.args.forEach((a, i) => {
        if (a.repeated) expect(i, f.name).toBe(f.args.length - 1);
      });
      if (typeof f.returns !== 'string')
        expect(
          f.args.map((a) => a.name),
          f.name,
        ).toContain(f.returns.like);
    }
  });

  for (const f of FUNCTIONS)
    it(`${signature(f)}: ${f.example.expression} gives ${JSON.stringify(f.example.result)}`, () => {
      expect(evaluate(f.example.expression)).toEqual(f.example.result);
    });

  it('the checker follows the table: arity, argument types and literal arguments', () => {
    expect(() => compileExpr('lower()', [])).toThrow(/lower\(\) takes 1 argument at position 1/);
    expect(() => compileExpr("substring('a')", [])).toThrow(/substring\(\) takes 2 to 3 arguments/);
    expect(() => compileExpr('coalesce()', [])).toThrow(/coalesce\(\) takes at least 1 argument/);
    expect(() => compileExpr("abs('x')", [])).toThrow(
      /abs\(\) needs a number for number, not string/,
    );
    expect(() => compileExpr("year('2024-01-01')", [])).toThrow(
      /year\(\) needs a date, not string/,
    );
    expect(() => compileExpr("if('x', 1, 2)", [])).toThrow(/if\(\) needs a boolean for condition/);
    const fields = [{ name: 'p', type: 'string' as const }];
    expect(() => compileExpr("matches('a', p)", fields)).toThrow(
      /matches\(\) needs pattern written as a quoted text/,
    );
    expect(() => compileExpr('round(1.25, abs(1))', [])).toThrow(
      /round\(\) needs digits written as a number/,
    );
  });

  it('takes a minus sign before a literal number as part of it, and coalesce types by its first non-null', () => {
    expect(evaluate('round(1234.5, -2)')).toBe(1200);
    expect(compileExpr("coalesce(null, 'x')", []).kind).toBe('string');
    expect(compileExpr('coalesce(null, 1, 2)', []).int).toBe(true);
  });
});
