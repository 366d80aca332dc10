/** Names of the recipe's edits, as the History panel lists them. */
import { describe, expect, it } from 'vitest';
import { nameEdit } from './edit-names';
import { addStep, editStep, moveStep, removeStep, setEnabled } from './recipe-doc';

const RECIPE = `name: customers
source:
  path: Customers.csv
steps:
  - step: trim
  - step: nullify
  - step: parse_dates
    columns: [Birthday]
    formats: [M/d/yyyy]
  - step: dedupe
    key: [CustomerKey]
outputs:
  - {kind: csv, path: out/customers.csv}
`;

describe('names of edits', () => {
  it('names a step added, with what it works on and where', () => {
    expect(nameEdit(RECIPE, addStep(RECIPE, { step: 'trim', columns: ['Name'] }))).toBe(
      'Added trim on Name',
    );
    expect(nameEdit(RECIPE, addStep(RECIPE, { step: 'case', columns: ['A', 'B'] }, 1))).toBe(
      'Added case on A, B as step 2',
    );
    expect(nameEdit(RECIPE, addStep(RECIPE, { step: 'cast', columns: { a: 'int' } }))).toBe(
      'Added cast on a',
    );
    expect(nameEdit(RECIPE, addStep(RECIPE, { step: 'limit', rows: 5 }))).toBe('Added limit');
  });

  it('names a step removed, moved, disabled or changed', () => {
    expect(nameEdit(RECIPE, removeStep(RECIPE, 3))).toBe('Removed step 4 (dedupe)');
    expect(nameEdit(RECIPE, moveStep(RECIPE, 2, 1))).toBe('Moved step 3 up');
    // Two neighbours swapped are one edit, however it was asked for.
    expect(nameEdit(RECIPE, moveStep(RECIPE, 1, 2))).toBe('Moved step 3 up');
    expect(nameEdit(RECIPE, moveStep(RECIPE, 0, 3))).toBe('Moved step 1 to 4');
    expect(nameEdit(RECIPE, moveStep(RECIPE, 3, 0))).toBe('Moved step 4 to 1');
    expect(nameEdit(RECIPE, setEnabled(RECIPE, 1, false))).toBe('Disabled step 2 (nullify)');
    const off = setEnabled(RECIPE, 1, false);
    expect(nameEdit(off, setEnabled(off, 1, true))).toBe('Enabled step 2 (nullify)');
    expect(nameEdit(RECIPE, editStep(RECIPE, 2, { columns: ['Birthday', 'Since'] }))).toBe(
      'Changed columns of step 3 (parse_dates)',
    );
    expect(nameEdit(RECIPE, editStep(RECIPE, 2, { columns: ['Since'], output: 'datetime' }))).toBe(
      'Changed columns and output of step 3 (parse_dates)',
    );
  });

  it('names a change outside the steps by its section, and the rest by its line', () => {
    expect(nameEdit(RECIPE, RECIPE.replace('Customers.csv', 'People.csv'))).toBe('Changed source');
    // Two steps changed at once (typed by hand): the first line that differs.
    const typed = RECIPE.replace('step: trim', 'step: nullify').replace('[CustomerKey]', '[Email]');
    expect(nameEdit(RECIPE, typed)).toBe('Edited the YAML at line 5');
    expect(nameEdit(RECIPE, RECIPE.replace('steps:', 'steps: [\n'))).toBe(
      'Edited the YAML at line 4',
    );
    expect(nameEdit(RECIPE, `# a note\n${RECIPE}`)).toBe('Edited the YAML at line 1');
  });
});
