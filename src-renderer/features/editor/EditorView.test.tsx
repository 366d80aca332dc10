/**
 * The rule editor's parts in Chromium: a form per step kind read from the engine's schemas, and
 * the YAML view kept in sync with the forms both ways, comments kept, problems shown in place.
 */
import { EditorView } from '@codemirror/view';
import { beforeEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { StepForm } from './StepForm';
import { StepList } from './StepList';
import { YamlView } from './YamlView';
import { parseRecipe } from './recipe-doc';
import { openRecipe } from '../../testing/fixtures';
import { fieldsOf, STEP_KINDS } from './step-fields';
import { useStore } from '../../store';
import { runCommand } from '../shell/app-commands';
import type { ApiClient } from '../../api/client';

const RECIPE = `name: stores
# Where the stores come from.
source:
  path: Stores.csv
steps:
  - step: trim # every text column
  - step: case
    columns: [Country]
    to: lower
outputs:
  - {kind: csv, path: out/stores.csv}
`;

function Editor(): React.JSX.Element {
  const selected = useStore((s) => s.editor?.selected ?? null);
  return (
    <div>
      <StepList />
      {selected !== null ? <StepForm index={selected} /> : null}
      <YamlView />
    </div>
  );
}

const yaml = (): string => useStore.getState().editor!.yaml;
/** The code editor's text (its DOM holds only the lines on screen). */
function editorText(): string | null {
  const el = document.querySelector<HTMLElement>('[data-testid=recipe-editor]');
  return el ? (EditorView.findFromDOM(el)?.state.doc.toString() ?? null) : null;
}

const STORES = ['StoreKey', 'Country', 'State', 'Square Meters', 'Open Date'];

/**
 * A service that answers what the forms ask: every step sees the Stores columns as text, and
 * every expression checks. (The real answers are tested in tests/service/step-forms.test.ts.)
 */
const formsService = {
  ...useStore.getState().client,
  async call(method: string): Promise<unknown> {
    const cols = STORES.map((name) => ({ name, type: 'string' }));
    if (method === 'pipelines.columns')
      return {
        source: cols,
        steps: parseRecipe(yaml()).steps.map((st, i) => ({
          index: i + 1,
          kind: String(st.step),
          enabled: true,
          input: cols,
          output: cols,
          problem: null,
        })),
      };
    if (method === 'pipelines.checkExpression') return { type: 'boolean', errors: [] };
    throw new Error(`${method} is not served in this test`);
  },
} as ApiClient;

beforeEach(() => {
  localStorage.clear();
  useStore.setState({ client: formsService, columns: null, project: null });
});

describe('step forms and the YAML view', () => {
  it('a form edit changes the YAML in place, comments kept, and undo takes it back', async () => {
    openRecipe(RECIPE, 1);
    const screen = await render(<Editor />);
    await expect.element(screen.getByText('Step 2: case')).toBeVisible();
    await screen.getByLabelText('to', { exact: true }).selectOptions('upper');
    expect(yaml()).toContain('to: upper');
    expect(yaml()).toContain('# Where the stores come from.');
    expect(yaml()).toContain('- step: trim # every text column');
    await expect.poll(editorText).toBe(yaml());
    // A list of columns takes one more as a chip, typed and confirmed with Enter.
    const columns = screen.getByRole('combobox', { name: 'columns' });
    await columns.fill('State');
    await userEvent.keyboard('{Enter}');
    expect(parseRecipe(yaml()).steps[1].columns).toEqual(['Country', 'State']);
    useStore.getState().undo();
    useStore.getState().undo();
    expect(yaml()).toBe(RECIPE);
    await expect.element(screen.getByLabelText('to', { exact: true })).toHaveValue('lower');
  });

  it('typing in the YAML updates the list and the form; problems show by their line and field', async () => {
    openRecipe(RECIPE, 1);
    const screen = await render(<Editor />);
    const text = screen.getByLabelText('recipe yaml');
    await text.fill(RECIPE.replace('to: lower', 'to: title').replace('[Country]', '[City]'));
    await expect.element(screen.getByLabelText('to', { exact: true })).toHaveValue('title');
    await expect.element(screen.getByTestId('column-chip')).toHaveTextContent('City');
    await expect.element(screen.getByTestId('step-2')).toHaveTextContent('City');
    // A value the schema does not allow: named in the YAML's problem list and under the field.
    await text.fill(RECIPE.replace('to: lower', 'to: sideways'));
    await expect
      .element(screen.getByTestId('recipe-issues'))
      .toHaveTextContent(
        /line 9\s*setting\s*step 2 \(case\): `to` must be one of upper, lower, title/,
      );
    await expect.element(screen.getByTestId('step-form')).toHaveTextContent(/must be one of/);
    await expect.element(screen.getByTestId('step-2')).toHaveClass(/invalid/);
    // Broken YAML keeps the last good steps on show and says where it broke.
    await text.fill('name: stores\nsteps: [\n');
    await expect.element(screen.getByTestId('recipe-issues')).toHaveTextContent(/line \d+/);
    await expect.element(screen.getByTestId('step-2')).toBeVisible();
  });

  it('adds, disables, moves and deletes any step through the list', async () => {
    openRecipe(RECIPE, 0);
    const screen = await render(<Editor />);
    await screen.getByLabelText('new step kind').selectOptions('dedupe');
    await screen.getByRole('button', { name: 'Add step' }).click();
    await expect
      .poll(() => parseRecipe(yaml()).steps.map((s) => s.step))
      .toEqual(['trim', 'dedupe', 'case']);
    await expect.element(screen.getByText('Step 2: dedupe')).toBeVisible();
    await screen.getByLabelText('disable step 1').click();
    expect(parseRecipe(yaml()).steps[0].enabled).toBe(false);
    await screen.getByLabelText('move step 3 up').click();
    expect(parseRecipe(yaml()).steps.map((s) => s.step)).toEqual(['trim', 'case', 'dedupe']);
    await screen.getByLabelText('delete step 1').click();
    expect(parseRecipe(yaml()).steps.map((s) => s.step)).toEqual(['case', 'dedupe']);
    expect(yaml()).toContain('# Where the stores come from.');
  });

  it('every step kind gets a form with one input per setting, and a new one is valid YAML', async () => {
    openRecipe('name: all\nsource: {path: a.csv}\nsteps: []\n', null);
    const screen = await render(<Editor />);
    for (const [i, kind] of STEP_KINDS.entries()) {
      await screen.getByLabelText('new step kind').selectOptions(kind);
      await screen.getByRole('button', { name: 'Add step' }).click();
      await expect.element(screen.getByText(`Step ${i + 1}: ${kind}`)).toBeVisible();
      const form = screen.getByTestId('step-form');
      for (const f of fieldsOf(kind))
        await expect
          .element(form.getByLabelText(f.key, { exact: true }).first())
          .toBeInTheDocument();
    }
    const parsed = parseRecipe(yaml());
    expect(parsed.steps.map((s) => s.step)).toEqual(STEP_KINDS);
    // Every new step starts valid.
    expect(parsed.issues).toEqual([]);
  });

  it('a filter condition is edited in the expression editor: functions completed with their signatures', async () => {
    openRecipe('name: f\nsource: {path: a.csv}\nsteps:\n  - step: filter\n    where: qty > 0\n', 0);
    const screen = await render(<Editor />);
    const where = screen.getByRole('textbox', { name: 'where' });
    await expect.element(where).toHaveTextContent('qty > 0');
    await where.click();
    await userEvent.keyboard('{Control>}{End}{/Control} and yea');
    const option = screen.getByRole('option', { name: /year\(date\)/ });
    await expect.element(option).toBeVisible();
    await expect.element(option).toHaveTextContent('→ number');
    await option.click();
    await expect.element(where).toHaveTextContent('qty > 0 and year()');
    // The bracket closes itself as it opens.
    await userEvent.keyboard('[[Order Date');
    // Leaving the editor writes the expression into the recipe.
    await userEvent.click(screen.getByText('Step 1: filter'));
    await expect
      .poll(() => parseRecipe(yaml()).steps[0].where)
      .toBe('qty > 0 and year([Order Date])');
  });

  it('the code editor shares the recipe history: Ctrl+Z there undoes a form edit; a form edit keeps its cursor', async () => {
    openRecipe(RECIPE, 1);
    const screen = await render(<Editor />);
    await expect.poll(editorText).toBe(RECIPE);
    const el = document.querySelector<HTMLElement>('[data-testid=recipe-editor]')!;
    const view = EditorView.findFromDOM(el)!;
    // The cursor on line 3, then a form edit further down (line 9).
    const at = view.state.doc.line(3).from + 2;
    view.dispatch({ selection: { anchor: at } });
    await screen.getByLabelText('to', { exact: true }).selectOptions('upper');
    await expect.poll(editorText).toContain('to: upper');
    expect(view.state.selection.main.head).toBe(at);
    // Typing in the editor, then Ctrl+Z twice: the typing, then the form's edit.
    view.focus();
    await userEvent.keyboard('x');
    await expect.poll(() => yaml()).toContain('soxurce');
    await userEvent.keyboard('{Control>}z{/Control}');
    await expect.poll(() => yaml()).not.toContain('soxurce');
    expect(yaml()).toContain('to: upper');
    await userEvent.keyboard('{Control>}z{/Control}');
    await expect.poll(editorText).toBe(RECIPE);
    expect(yaml()).toBe(RECIPE);
    // Ctrl+Y redoes, in the same history.
    await userEvent.keyboard('{Control>}y{/Control}');
    await expect.poll(editorText).toContain('to: upper');
    // Edit > Undo of the desktop menu, with the editor focused: the recipe's undo too.
    expect(view.hasFocus).toBe(true);
    runCommand({ type: 'app.command', command: 'undo' }, useStore.getState());
    await expect.poll(editorText).toBe(RECIPE);
  });
});
