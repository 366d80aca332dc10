/**
 * A column's menu in Chromium: arrows move over the entries, Enter chooses, a disabled entry
 * says why and does nothing, an entry with a form shows it in place, Esc closes.
 */
import { describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { ColumnMenu, type MenuEntry } from './ColumnMenu';

async function setup(entries: MenuEntry[]) {
  const closed: string[] = [];
  await render(
    <ColumnMenu
      entries={entries}
      at={{ x: 20, y: 20 }}
      label="Column Name"
      onClose={() => closed.push('closed')}
    />,
  );
  return { closed };
}

describe('the column menu', () => {
  it('moves with the arrows, skips nothing, chooses with Enter', async () => {
    const chosen: string[] = [];
    const { closed } = await setup([
      { label: 'Sort ascending', disabled: 'this grid cannot be sorted' },
      {
        label: 'Trim spaces',
        group: 'Add a step for this column',
        onSelect: () => chosen.push('trim'),
      },
      { label: 'Drop', onSelect: () => chosen.push('drop') },
    ]);
    const menu = page.getByRole('menu', { name: 'Column Name' });
    await expect.element(menu).toBeVisible();
    await expect.element(page.getByText('Add a step for this column')).toBeVisible();
    const first = page.getByRole('menuitem', { name: 'Sort ascending' });
    await expect.element(first).toHaveFocus();
    await expect.element(first).toHaveAttribute('aria-disabled', 'true');
    await expect.element(first).toHaveAttribute('title', 'this grid cannot be sorted');
    // A disabled entry does nothing.
    await userEvent.keyboard('{Enter}');
    expect(chosen).toEqual([]);
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    await expect.element(page.getByRole('menuitem', { name: 'Drop' })).toHaveFocus();
    await userEvent.keyboard('{ArrowDown}');
    await expect.element(first).toHaveFocus();
    await userEvent.keyboard('{End}{Enter}');
    expect(chosen).toEqual(['drop']);
    expect(closed).toEqual(['closed']);
  });

  it('shows an entry with a form in place of the list; Esc closes', async () => {
    const { closed } = await setup([
      {
        label: 'Filter',
        form: () => (
          <form aria-label="Filter Name">
            <input aria-label="value" />
          </form>
        ),
      },
    ]);
    await userEvent.keyboard('{Enter}');
    await expect.element(page.getByRole('form', { name: 'Filter Name' })).toBeVisible();
    expect(closed).toEqual([]);
    await userEvent.keyboard('{Escape}');
    expect(closed).toEqual(['closed']);
  });
});
