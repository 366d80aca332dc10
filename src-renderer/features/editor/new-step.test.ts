import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../../src-shared/recipe/pipeline';
import { Step } from '../../../src-shared/recipe/steps';
import { newStep } from './new-step';
import { STEP_KINDS } from './step-fields';

const SALES = [
  { name: 'Order Number', type: 'int' },
  { name: 'Order Date', type: 'date' },
  { name: 'Currency Code', type: 'string' },
  { name: 'Quantity', type: 'int' },
];

describe('newStep', () => {
  it('makes a step of every kind that passes the recipe schema, with columns or without', () => {
    expect(STEP_KINDS.length).toBeGreaterThanOrEqual(26);
    for (const columns of [SALES, []])
      for (const kind of STEP_KINDS) {
        const r = Step.safeParse(newStep(kind, { columns, otherPipeline: 'products' }));
        expect(r.success, `${kind}: ${r.error?.message}`).toBe(true);
      }
    // And as a whole recipe, every kind in a row.
    const recipe = {
      name: 'all',
      source: { path: 'a.csv' },
      steps: STEP_KINDS.map((k) => newStep(k, { columns: SALES })),
      outputs: [],
    };
    expect(Pipeline.safeParse(recipe).success).toBe(true);
  });

  it('fills in the first input column that suits the kind', () => {
    expect(newStep('drop', { columns: SALES })).toEqual({
      step: 'drop',
      columns: ['Order Number'],
    });
    expect(newStep('date_parts', { columns: SALES })).toMatchObject({ column: 'Order Date' });
    expect(newStep('case', { columns: SALES })).toMatchObject({ columns: ['Currency Code'] });
    expect(newStep('normalize', { columns: SALES })).toMatchObject({ columns: ['Order Number'] });
    expect(newStep('filter', { columns: SALES })).toMatchObject({
      where: '[Order Number] is not null',
    });
    expect(newStep('join', { columns: SALES, otherPipeline: 'products' })).toMatchObject({
      with: { pipeline: 'products' },
      on: ['Order Number'],
    });
  });
});
