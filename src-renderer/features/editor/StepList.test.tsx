/**
 * The step list by keyboard, in Chromium: one Tab stop on the selected step; Up, Down, Home and
 * End select; Alt+Up and Alt+Down move the step; Delete removes it and Ctrl+Z brings it back;
 * Enter opens its form; Right and Left go along the step's own buttons.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { useShortcuts } from '../shortcuts/shortcuts';
import { StepForm } from './StepForm';
import { StepList } from './StepList';
import { openRecipe } from '../../testing/fixtures';
import { useStore } from '../../store';

const RECIPE = `name: stores
source:
  path: Stores.csv
steps:
  - step: trim
  - step: nullify
  - step: case
    columns: [Country]
    to: lower
  - step: dedupe
    key: [StoreKey]
`;

function Editor(): React.JSX.Element {
  useShortcuts(() => undefined);
  const selected = useStore((s) => s.editor?.selected ?? null);
  return (
    <div>
      <button>before</button>
      <StepList />
      {selected !== null ? <StepForm index={selected} /> : null}
    </div>
  );
}

const selected = (): number | null => useStore.getState().editor!.selected;
const kinds = (): string[] =>
  useStore.getState().editor!.steps.map((s) => String((s as { step: string }).step));
const focused = (): string | null =>
  document.activeElement?.closest('[data-testid^=step-]')?.getAttribute('data-testid') ?? null;

beforeEach(() => localStorage.clear());

describe('the step list by keyboard', () => {
  it('Tab reaches the selected step once; Up, Down, Home and End select and follow', async () => {
    openRecipe(RECIPE, 1);
    const screen = await render(<Editor />);
    await screen.getByRole('button', { name: 'before' }).click();
    await userEvent.tab();
    expect(focused()).toBe('step-2');
    await expect.element(screen.getByTestId('step-2')).toHaveAttribute('aria-current', 'step');
    await userEvent.keyboard('{ArrowDown}');
    await expect.poll(focused).toBe('step-3');
    expect(selected()).toBe(2);
    await expect.element(screen.getByTestId('step-3')).toHaveAttribute('aria-current', 'step');
    await userEvent.keyboard('{End}');
    await expect.poll(focused).toBe('step-4');
    await userEvent.keyboard('{ArrowDown}');
    expect(selected()).toBe(3);
    await userEvent.keyboard('{Home}');
    await expect.poll(focused).toBe('step-1');
    expect(selected()).toBe(0);
    await userEvent.keyboard('{ArrowUp}');
    expect(selected()).toBe(0);
    // The next Tab leaves the list: its other steps are not stops.
    await userEvent.tab();
    expect(focused()).toBeNull();
  });

  it('Alt+Up and Alt+Down move the step with the focus on it', async () => {
    openRecipe(RECIPE, 2);
    await render(<Editor />);
    (document.querySelector('[data-testid=step-3] .label') as HTMLElement).focus();
    await userEvent.keyboard('{Alt>}{ArrowUp}{/Alt}');
    expect(kinds()).toEqual(['trim', 'case', 'nullify', 'dedupe']);
    await expect.poll(focused).toBe('step-2');
    expect(selected()).toBe(1);
    await userEvent.keyboard('{Alt>}{ArrowDown}{/Alt}');
    await userEvent.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(kinds()).toEqual(['trim', 'nullify', 'dedupe', 'case']);
    await expect.poll(focused).toBe('step-4');
  });

  it('Delete removes the step and Ctrl+Z brings it back; Enter opens the form', async () => {
    openRecipe(RECIPE, 1);
    const screen = await render(<Editor />);
    (document.querySelector('[data-testid=step-2] .label') as HTMLElement).focus();
    await userEvent.keyboard('{Delete}');
    expect(kinds()).toEqual(['trim', 'case', 'dedupe']);
    // The focus stays in the list, on the step that took its place.
    await expect.poll(focused).toBe('step-2');
    await userEvent.keyboard('{Control>}z{/Control}');
    expect(kinds()).toEqual(['trim', 'nullify', 'case', 'dedupe']);

    (document.querySelector('[data-testid=step-3] .label') as HTMLElement).focus();
    await userEvent.keyboard('{Enter}');
    expect(selected()).toBe(2);
    const form = screen.getByTestId('step-form');
    await expect.element(form).toBeVisible();
    await expect.poll(() => form.element().contains(document.activeElement)).toBe(true);
  });

  it("Right and Left go along the step's buttons, which act as clicked", async () => {
    openRecipe(RECIPE, 0);
    await render(<Editor />);
    (document.querySelector('[data-testid=step-1] .label') as HTMLElement).focus();
    // Step 1 cannot move up: its first button is "move down".
    await userEvent.keyboard('{ArrowRight}');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('move step 1 down');
    await userEvent.keyboard('{ArrowRight}');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('disable step 1');
    await userEvent.keyboard('{Enter}');
    expect(useStore.getState().editor!.steps[0]).toMatchObject({ enabled: false });
    await userEvent.keyboard('{ArrowLeft}{ArrowLeft}');
    expect(focused()).toBe('step-1');
    expect(document.activeElement?.classList.contains('label')).toBe(true);
  });
});
