/**
 * The SQL compiler without a server: which steps it names as local-only and why, the engine's
 * own configuration errors, odd column names quoted, and the shape of what it writes (one
 * query, CTEs in order, the row order carried to the end). What the SQL computes is checked
 * against the engine on the real server in tests/sinks/sql-parity.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Step } from '../../src-shared/recipe/steps';
import {
  compileSteps,
  localOnlySteps,
  LocalOnlyError,
  SQL_STEP_KINDS,
} from '../../src-main/engine/sql/compile';
import { StepConfigError } from '../../src-main/engine/step';
import type { Field } from '../../src-main/engine/table';
import { WS } from '../../src-main/engine/sql/text';

const fields: Field[] = [
  { name: 'Order "No"', type: 'string' },
  { name: 'amount', type: 'string' },
  { name: 'day', type: 'string' },
];
const source = { from: '"stage"."orders"', fields, order: '"_line"' };
const steps = (...raw: unknown[]): Step[] => raw.map((s) => Step.parse(s));

describe('the SQL compiler', () => {
  it('writes one query of CTEs over the source, ordered by the carried row number', () => {
    const c = compileSteps(
      steps(
        { step: 'trim' },
        { step: 'parse_numbers', columns: ['amount'] },
        { step: 'filter', where: 'amount > 10' },
      ),
      source,
    );
    expect(c.sql).toMatch(/^WITH s0 AS \(\n {2}SELECT "Order ""No"""::text AS "Order ""No""", /);
    expect(c.sql).toContain(
      'row_number() OVER (ORDER BY "_line") AS "_sluice_row", "_line"::bigint AS "_sluice_source_line" FROM "stage"."orders"',
    );
    expect(c.sql).toMatch(/ORDER BY "_sluice_row"$/);
    expect(c.steps.map((s) => s.kind)).toEqual(['trim', 'parse_numbers', 'filter']);
    expect(c.fields).toEqual([
      { name: 'Order "No"', type: 'string' },
      { name: 'amount', type: 'decimal' },
      { name: 'day', type: 'string' },
    ]);
    // Each step's CTE is defined before the next one reads it.
    const names = [...c.sql.matchAll(/^(?:WITH )?(s\d+) AS (MATERIALIZED )?\(/gm)].map((m) => m[1]);
    expect(names[0]).toBe('s0');
    for (const s of c.steps) expect(names).toContain(s.cte);
  });

  it('numbers the rows of a source without an order as they are read, not all as peers', () => {
    // OVER (ORDER BY NULL) buffers the whole table in the window and rereads it from disk.
    const c = compileSteps(steps({ step: 'trim' }), { from: '"sales"', fields });
    expect(c.sql).toContain(
      'row_number() OVER () AS "_sluice_row", NULL::bigint AS "_sluice_source_line" FROM "sales"',
    );
    expect(c.sql).not.toContain('ORDER BY NULL');
  });

  it('trims each cell once to nullify it, again only at a token length', () => {
    const c = compileSteps(steps({ step: 'nullify', columns: ['amount'] }), source);
    const t = `btrim("amount", ${WS})`;
    expect(c.sql).toContain(
      `CASE char_length(${t}) WHEN 0 THEN NULL WHEN 3 THEN CASE WHEN lower(${t} COLLATE "und-x-icu") IN ('n/a', '#n/a', 'null') THEN NULL ELSE "amount" END WHEN 4 THEN`,
    );
  });

  it('does not trim again what a trim just before trimmed', () => {
    // The trim is inlined into nullify: a trim written there again would be two per cell.
    const after = (trim: unknown): string =>
      compileSteps(steps(trim, { step: 'nullify', columns: ['amount', 'day'] }), source).sql;
    const plain = after({ step: 'trim', columns: ['amount'] });
    expect(plain).toContain('CASE char_length("amount") WHEN 0 THEN NULL');
    expect(plain).toContain(`CASE char_length(btrim("day", ${WS})) WHEN 0 THEN NULL`);
    const collapsed = after({ step: 'trim', columns: ['amount'], collapse_spaces: true });
    expect(collapsed).toContain(`CASE char_length(btrim("amount", ${WS})) WHEN 0 THEN NULL`);
    // Past another step, nothing is known.
    const later = compileSteps(
      steps(
        { step: 'trim' },
        { step: 'replace', columns: ['day'], values: { a: 'b' } },
        {
          step: 'nullify',
          columns: ['amount'],
        },
      ),
      source,
    ).sql;
    expect(later).toContain(`CASE char_length(btrim("amount", ${WS})) WHEN 0 THEN NULL`);
  });

  it('names a step that runs only with the local engine, and why', () => {
    const recipe = steps(
      { step: 'trim' },
      { step: 'filter', where: "matches(day, '^M')" },
      { step: 'replace', columns: ['day'], regex: '\\s+', with: ' ' },
      { step: 'validate', rules: [{ column: 'day', regex: '^M' }] },
      { step: 'derive', columns: { x: 'substring(day, 1, 2)' } },
    );
    expect(() => compileSteps(recipe, source)).toThrow(LocalOnlyError);
    expect(() => compileSteps(recipe, source)).toThrow(
      'step 2 (filter) runs only with the local engine: the function matches()',
    );
    expect(localOnlySteps(recipe, source).map((e) => e.message)).toEqual([
      'step 2 (filter) runs only with the local engine: the function matches()',
      'step 3 (replace) runs only with the local engine: regular expressions (the engine runs RE2; PostgreSQL has its own dialect)',
      'step 4 (validate) runs only with the local engine: regex rules (the engine runs RE2; PostgreSQL has its own dialect)',
      'step 5 (derive) runs only with the local engine: the function substring()',
    ]);
  });

  it("refuses what the engine refuses, with the engine's words", () => {
    expect(() => compileSteps(steps({ step: 'select', columns: ['nope'] }), source)).toThrow(
      StepConfigError,
    );
    expect(() => compileSteps(steps({ step: 'select', columns: ['nope'] }), source)).toThrow(
      /step 1:select: unknown column "nope"/,
    );
  });

  it('skips disabled steps and compiles the kinds it lists', () => {
    const c = compileSteps(
      steps({ step: 'normalize', columns: ['amount'], enabled: false }),
      source,
    );
    expect(c.steps).toEqual([]);
    expect(SQL_STEP_KINDS).toEqual(
      expect.arrayContaining(['trim', 'cast', 'dedupe', 'aggregate', 'join', 'union', 'validate']),
    );
    expect(SQL_STEP_KINDS).not.toContain('normalize');
  });

  it('quotes text and names, never splicing them raw', () => {
    const c = compileSteps(
      steps({ step: 'replace', columns: ['day'], values: { "it's": "o'clock" } }),
      source,
    );
    expect(c.sql).toContain(`WHEN 'it''s' THEN 'o''clock'`);
  });
});
