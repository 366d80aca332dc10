/** Checking a recipe's steps against the columns that reach them, without any rows. */
import { describe, expect, it } from 'vitest';
import { Step } from '../../src-shared/recipe/steps';
import { checkSteps } from '../../src-main/engine/check-steps';
import { StepConfigError } from '../../src-main/engine/step';
import type { Field } from '../../src-main/engine/table';

const fields: Field[] = [
  { name: 'Name', type: 'string' },
  { name: 'Qty', type: 'string' },
];
const steps = (xs: unknown[]): Step[] => xs.map((x) => Step.parse(x));
const noSides = {
  side: () => {
    throw new StepConfigError('no sides here');
  },
};

describe('checkSteps', () => {
  it('finds every problem, with its path, going on past a step that fails', () => {
    const problems = checkSteps(
      steps([
        { step: 'trim', columns: ['Nmae'] },
        { step: 'cast', columns: { Qty: 'int' } },
        { step: 'filter', where: 'Qty > ' },
        { step: 'rename', columns: { Name: 'Customer' } },
        { step: 'case', columns: ['Name'], to: 'upper' },
        { step: 'derive', columns: { Twice: 'Qty * 2' }, enabled: false },
      ]),
      fields,
      noSides,
    );
    expect(problems.map((p) => p.path)).toEqual([
      ['steps', 0, 'columns', 0],
      ['steps', 2, 'where'],
      ['steps', 4, 'columns', 0],
    ]);
    expect(problems[0].message).toBe('unknown column "Nmae"; the columns here are: Name, Qty');
    // After the rename, Name is gone: the columns that reach step 5 are named.
    expect(problems[2].message).toContain('Customer');
  });

  it('finds nothing in a recipe that fits its columns', () => {
    expect(
      checkSteps(
        steps([
          { step: 'cast', columns: { Qty: 'int' } },
          { step: 'filter', where: 'Qty > 2' },
        ]),
        fields,
        noSides,
      ),
    ).toEqual([]);
  });
});
