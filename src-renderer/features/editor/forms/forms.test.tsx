/**
 * The structured editors alone, in Chromium: each writes the setting the recipe schema
 * expects, picks columns by keyboard, and flags a name that is not an input column.
 */
import { describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { Step } from '../../../../src-shared/recipe/steps';
import { ColumnChips } from './ColumnChips';
import { ColumnInput } from './ColumnInput';
import { remapKeys } from './JoinEditor';
import { SortKeys } from './SortKeys';
import { ValidateRules } from './ValidateRules';
import { WindowFunctions } from './WindowFunctions';

const COLS = [
  { name: 'Order Number', type: 'int' },
  { name: 'Order Date', type: 'date' },
  { name: 'Currency Code', type: 'string' },
  { name: 'Quantity', type: 'int' },
];

/** The last value an editor wrote. */
function recorder<T>(): { last: () => T | undefined; set: (v: T) => void } {
  let v: T | undefined;
  return { last: () => v, set: (x) => (v = x) };
}

describe('column pickers', () => {
  it('a column input completes by keyboard and flags an unknown name', async () => {
    const out = recorder<string | undefined>();
    const screen = await render(
      <ColumnInput label="column" value="Nope" columns={COLS} known onChange={out.set} />,
    );
    const input = screen.getByRole('combobox', { name: 'column' });
    await expect.element(input).toHaveAttribute('aria-invalid', 'true');
    await expect.element(screen.getByText('no column “Nope” here')).toBeVisible();
    await input.fill('ord');
    // Names that start with it first; arrow down to the second, Enter picks it.
    const options = screen.getByRole('option');
    await expect.element(options.first()).toHaveTextContent('Order Numberint');
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect(out.last()).toBe('Order Date');
  });

  it('chips: add by typing, remove with ✕ or Backspace; "all" is a switch', async () => {
    const out = recorder<string[] | 'all' | undefined>();
    const screen = await render(
      <ColumnChips
        label="columns"
        value={['Currency Code', 'Gone']}
        columns={COLS}
        known
        allowAll
        onChange={out.set}
      />,
    );
    await expect.element(screen.getByText('not a column here: Gone')).toBeVisible();
    await screen.getByRole('button', { name: 'remove Gone' }).click();
    expect(out.last()).toEqual(['Currency Code']);
    const input = screen.getByRole('combobox', { name: 'columns' });
    await input.fill('quan');
    await userEvent.keyboard('{Enter}');
    expect(out.last()).toEqual(['Currency Code', 'Gone', 'Quantity']);
    await input.click();
    await userEvent.keyboard('{Backspace}');
    expect(out.last()).toEqual(['Currency Code']);
    await screen.getByLabelText('columns: every text column').click();
    expect(out.last()).toBeUndefined();
  });
});

describe('structured editors', () => {
  it('validate: a rule per row, its check and settings, what to do with a failing row', async () => {
    const out = recorder<unknown[]>();
    const screen = await render(
      <ValidateRules
        value={[{ column: 'Quantity', not_null: true }]}
        columns={COLS}
        known
        onChange={out.set}
      />,
    );
    await screen.getByLabelText('rule 1 check').selectOptions('range');
    expect(out.last()).toEqual([{ column: 'Quantity', range: { min: 0 } }]);
    const rerender = (v: unknown[]): Promise<unknown> =>
      screen.rerender(<ValidateRules value={v} columns={COLS} known onChange={out.set} />);
    await rerender(out.last()!);
    await screen.getByLabelText('rule 1 max').fill('100');
    await userEvent.keyboard('{Enter}');
    await rerender(out.last()!);
    await screen.getByLabelText('rule 1 on invalid').selectOptions('replace');
    const step = { step: 'validate', rules: out.last() };
    expect(step.rules).toEqual([
      { column: 'Quantity', range: { min: 0, max: 100 }, on_invalid: 'replace', replacement: '' },
    ]);
    expect(Step.safeParse(step).success).toBe(true);
    await rerender(out.last()!);
    await screen.getByRole('button', { name: '+ Add rule' }).click();
    expect(out.last()).toHaveLength(2);
    expect(Step.safeParse({ step: 'validate', rules: out.last() }).success).toBe(true);
  });

  it('sort keys and window functions write the short forms the recipes use', async () => {
    const keys = recorder<unknown[]>();
    const screen = await render(
      <SortKeys label="by" value={['Order Date']} columns={COLS} known onChange={keys.set} />,
    );
    await screen.getByLabelText('by 1 order').selectOptions('desc');
    expect(keys.last()).toEqual([{ column: 'Order Date', order: 'desc' }]);

    const fns = recorder<unknown[]>();
    const w = await render(
      <WindowFunctions
        value={[{ fn: 'row_number', as: 'n' }]}
        columns={COLS}
        known
        onChange={fns.set}
      />,
    );
    await w.getByLabelText('function 1', { exact: true }).selectOptions('lag');
    expect(fns.last()).toEqual([{ fn: 'lag', as: 'n', column: 'Order Number' }]);
  });

  it('a join keeps its keys on a column the new side has', () => {
    const products = [
      { name: 'ProductKey', type: 'int' },
      { name: 'Brand', type: 'string' },
    ];
    const sales = [...COLS, { name: 'ProductKey', type: 'int' }];
    expect(remapKeys(['Order Number'], sales, products)).toEqual(['ProductKey']);
    expect(remapKeys([{ left: 'ProductKey', right: 'Brand' }], sales, products)).toEqual([
      { left: 'ProductKey', right: 'Brand' },
    ]);
    expect(remapKeys(['Quantity'], COLS, products)).toEqual([
      { left: 'Quantity', right: 'ProductKey' },
    ]);
  });
});
