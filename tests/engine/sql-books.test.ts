/**
 * The books of a run on the server, without a server: which steps are counted, which record the
 * rows they drop in sluice_rejects, and how the counts become the local engine's step reports.
 * (tests/cli/engine-postgres.test.ts checks the same books on the real server.)
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Step } from '../../src-shared/recipe/steps';
import { booksSql, stepReports } from '../../src-main/engine/sql/books';
import { compileSteps } from '../../src-main/engine/sql/compile';

const steps = z.array(Step).parse([
  { step: 'trim' },
  { step: 'cast', columns: { qty: 'int' }, on_error: 'reject' },
  { step: 'dedupe', key: ['id'] },
  {
    step: 'aggregate',
    group_by: ['id'],
    aggregations: [{ column: 'qty', fn: 'sum', as: 'qty' }],
  },
]);
const fields = [
  { name: 'id', type: 'string' as const },
  { name: 'qty', type: 'string' as const },
];
const compiled = compileSteps(steps, { from: 'src', fields });

describe('books in SQL', () => {
  it('counts the source and the steps that change rows, and records what cast and dedupe drop', () => {
    const b = booksSql(compiled, steps, 'pg_temp.out', 'x.sluice_rejects');
    const cte = (i: number) => compiled.steps[i].cte;
    // trim never changes the rows: it is not counted (its CTE stays inlined).
    expect(b.counts).toEqual(['s0', cte(1), cte(2), cte(3)]);
    expect(b.sql.match(/INSERT INTO x\.sluice_rejects/g)).toHaveLength(2);
    expect(b.sql).toContain(`'2:cast', 'cast', 'a value is not of its column type'`);
    expect(b.sql).toContain(`'3:dedupe', 'removed', 'duplicate id'`);
    expect(b.sql).toContain('INSERT INTO pg_temp.out SELECT');
  });

  it("finds a dropped row's line in the source only when the source has lines", () => {
    const withLines = compileSteps(steps, { from: 'src', fields, order: '"_line"' });
    const joins = (c: typeof compiled): number =>
      booksSql(c, steps, 'pg_temp.out', 'x.sluice_rejects').sql.match(/LEFT JOIN s0 l/g)?.length ??
      0;
    // cast and dedupe read the rows of the step before them: found in s0 by their number.
    expect(joins(withLines)).toBe(2);
    // A server's table: a row's number is its line, and no join sorts the source again.
    expect(joins(compiled)).toBe(0);
    expect(booksSql(compiled, steps, 'o', 'r').sql).toContain(', b."_sluice_row" AS line FROM');
  });

  it('turns the counts into step reports whose books balance', () => {
    const counts = new Map([
      ['s0', 10],
      [compiled.steps[1].cte, 8],
      [compiled.steps[2].cte, 7],
      [compiled.steps[3].cte, 3],
    ]);
    const r = stepReports(compiled, steps, counts);
    const rows = r.map((s) => [
      s.name,
      s.rowsIn,
      s.rowsOut,
      s.rowsRejected,
      s.rowsRemoved,
      s.rowsMerged,
    ]);
    expect(rows).toEqual([
      ['1:trim', 10, 10, 0, 0, 0],
      ['2:cast', 10, 8, 2, 0, 0],
      ['3:dedupe', 8, 7, 0, 1, 0],
      ['4:aggregate', 7, 3, 0, 0, 4],
    ]);
    expect(r[2].removedReasons).toEqual({ 'duplicate id': 1 });
  });
});
