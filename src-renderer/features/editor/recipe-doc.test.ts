/** The editor's YAML sync: form edits keep comments and the rest of the text; errors have lines. */
import { describe, expect, it } from 'vitest';
import { addStep, editStep, moveStep, parseRecipe, removeStep, setEnabled } from './recipe-doc';
import { fieldsOf, newStep, STEP_KINDS } from './step-fields';

const RECIPE = `# Stores, cleaned
name: stores
source:
  path: Stores.csv # the real file
steps:
  - step: trim # first
  # the tokens that mean "no value"
  - step: nullify
  - step: cast
    columns: { StoreKey: int }
outputs:
  - kind: csv
    path: out/stores.csv
`;

describe('recipe YAML and the step list', () => {
  it('edits a field of one step and keeps every comment', () => {
    const y = editStep(RECIPE, 2, { on_error: 'null' });
    expect(y).toContain('# Stores, cleaned');
    expect(y).toContain('# the real file');
    expect(y).toContain('# first');
    expect(y).toContain('# the tokens that mean "no value"');
    expect(parseRecipe(y).steps[2]).toEqual({
      step: 'cast',
      columns: { StoreKey: 'int' },
      on_error: 'null',
    });
    expect(parseRecipe(editStep(y, 2, { on_error: undefined })).steps[2]).not.toHaveProperty(
      'on_error',
    );
  });

  it('adds, moves, disables and deletes any step, not only the last', () => {
    let y = addStep(RECIPE, { step: 'case', columns: ['Country'], to: 'upper' }, 1);
    expect(parseRecipe(y).steps.map((s) => s.step)).toEqual(['trim', 'case', 'nullify', 'cast']);
    y = moveStep(y, 3, 0);
    expect(parseRecipe(y).steps.map((s) => s.step)).toEqual(['cast', 'trim', 'case', 'nullify']);
    y = setEnabled(y, 1, false);
    expect(parseRecipe(y).steps[1]).toEqual({ step: 'trim', enabled: false });
    y = setEnabled(y, 1, true);
    expect(parseRecipe(y).steps[1]).toEqual({ step: 'trim' });
    y = removeStep(y, 2);
    expect(parseRecipe(y).steps.map((s) => s.step)).toEqual(['cast', 'trim', 'nullify']);
    expect(y).toContain('# the tokens that mean "no value"');
    expect(parseRecipe(y).issues).toEqual([]);
  });

  it('names the line of a YAML error and of a schema problem', () => {
    const broken = parseRecipe(RECIPE.replace('  - step: nullify', '  - step: [nullify'));
    expect(broken.issues[0].line).toBeGreaterThan(0);
    const bad = parseRecipe(RECIPE.replace('StoreKey: int', 'StoreKey: integer'));
    expect(bad.issues).toHaveLength(1);
    expect(bad.issues[0].path).toEqual(['steps', 2, 'columns', 'StoreKey']);
    expect(bad.issues[0].line).toBe(10);
    // The steps stay listed while the schema problem is fixed.
    expect(bad.steps).toHaveLength(3);
  });

  it('has a form for every step kind, read from the engine schema', () => {
    expect(STEP_KINDS).toContain('dedupe');
    expect(STEP_KINDS.length).toBeGreaterThan(20);
    for (const k of STEP_KINDS) expect(fieldsOf(k).length).toBeGreaterThan(0);
    expect(fieldsOf('case')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'columns', kind: 'list', allowAll: true, required: true }),
        expect.objectContaining({
          key: 'to',
          kind: 'choice',
          options: ['upper', 'lower', 'title'],
        }),
      ]),
    );
    expect(fieldsOf('trim').find((f) => f.key === 'collapse_spaces')).toMatchObject({
      kind: 'boolean',
      required: false,
      default: false,
    });
    expect(fieldsOf('cast').find((f) => f.key === 'columns')?.kind).toBe('yaml');
    // A new step starts valid: its required settings filled in (new-step.test.ts checks each kind).
    const y = addStep(RECIPE, newStep('case', { columns: [{ name: 'Country', type: 'string' }] }));
    expect(parseRecipe(y).issues).toEqual([]);
    expect(parseRecipe(y).steps[3]).toEqual({ step: 'case', columns: ['Country'], to: 'upper' });
  });
});
