/** Each "add a step for this column" item inserts a step the recipe schema accepts as it is. */
import { describe, expect, it } from 'vitest';
import { Step } from '../../../src-shared/recipe/steps';
import { addStep, parseRecipe } from '../editor/recipe-doc';
import { COLUMN_STEPS, columnStep, unavailable, type ColumnFacts } from './column-steps';

const name: ColumnFacts = { name: 'Name', type: 'string', taken: ['Name', 'Name renamed'] };
const orderDate: ColumnFacts = {
  name: 'Order Date',
  type: 'string',
  formats: ['M/d/yyyy'],
  taken: ['Order Date'],
};
const quantity: ColumnFacts = { name: 'Quantity', type: 'int', taken: ['Quantity'] };

describe('column menu steps', () => {
  it.each(COLUMN_STEPS)('%s starts valid, the column filled in', (kind) => {
    for (const col of [name, orderDate, { ...name, name: 'odd ] name', taken: [] }]) {
      const step = columnStep(kind, col);
      const parsed = Step.safeParse(step);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      expect(JSON.stringify(step)).toContain(JSON.stringify(col.name).slice(1, -1));
    }
  });

  it('fills the column into the place each kind keeps it', () => {
    expect(columnStep('trim', name)).toEqual({ step: 'trim', columns: ['Name'] });
    expect(columnStep('drop', name)).toEqual({ step: 'drop', columns: ['Name'] });
    expect(columnStep('dedupe', name)).toEqual({ step: 'dedupe', key: ['Name'] });
    expect(columnStep('validate', name)).toEqual({
      step: 'validate',
      rules: [{ column: 'Name', not_null: true }],
    });
    expect(columnStep('fill_missing', quantity)).toEqual({
      step: 'fill_missing',
      columns: { Quantity: 'median' },
    });
    expect(columnStep('cast', name)).toEqual({ step: 'cast', columns: { Name: 'decimal' } });
    expect(columnStep('cast', quantity)).toEqual({ step: 'cast', columns: { Quantity: 'string' } });
  });

  it('parse dates carries the formats inference found, ISO when none', () => {
    expect(columnStep('parse_dates', orderDate)).toMatchObject({
      columns: ['Order Date'],
      formats: ['M/d/yyyy'],
    });
    expect(columnStep('parse_dates', name)).toMatchObject({ formats: ['yyyy-MM-dd'] });
  });

  it('new names do not collide with the columns there', () => {
    expect(columnStep('rename', name)).toEqual({
      step: 'rename',
      columns: { Name: 'Name renamed 2' },
    });
    const split = columnStep('split', { ...name, taken: ['Name', 'Name 1'] });
    expect(Object.keys(split.columns as object)).toEqual(['Name 1 2', 'Name 2']);
    expect(Object.values(split.columns as object)[0]).toBe(
      "regex_extract([Name], '^\\s*(\\S+)', 1)",
    );
  });

  it('text steps are offered for text columns only, with why', () => {
    expect(unavailable('trim', name)).toBeNull();
    expect(unavailable('trim', quantity)).toBe('Quantity is int already, not text');
    expect(unavailable('parse_dates', quantity)).not.toBeNull();
    expect(unavailable('drop', quantity)).toBeNull();
  });

  it('lands in the recipe after the selected step', () => {
    const recipe = 'name: s\nsource: { path: S.csv }\nsteps:\n  - step: trim\n  - step: nullify\n';
    const y = addStep(recipe, columnStep('trim', name), 1);
    expect(parseRecipe(y).steps.map((s) => s.step)).toEqual(['trim', 'trim', 'nullify']);
    expect(parseRecipe(y).steps[1]).toEqual({ step: 'trim', columns: ['Name'] });
  });
});
