/** The keyboard shortcuts in Chromium: keys act, the list shows them, typing is left alone. */
import { describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { LOCAL_KEYS, SHORTCUTS, ShortcutsDialog, useShortcuts } from './shortcuts';
import { useStore } from '../../store';

let picked = 0;
function Harness(): React.JSX.Element {
  useShortcuts(() => picked++);
  return (
    <div>
      <input aria-label="some text" />
      <ShortcutsDialog />
    </div>
  );
}

describe('keyboard shortcuts', () => {
  it('? lists every shortcut and Escape closes the list; typing ? in a field does not', async () => {
    const screen = await render(<Harness />);
    await screen.getByLabelText('some text').fill('');
    await userEvent.keyboard('?');
    await expect.element(screen.getByLabelText('some text')).toHaveValue('?');
    expect(useStore.getState().shortcutsOpen).toBe(false);
    (document.activeElement as HTMLElement).blur();
    await userEvent.keyboard('?');
    const list = screen.getByTestId('shortcuts');
    await expect.element(list).toBeVisible();
    for (const s of SHORTCUTS) await expect.element(list).toHaveTextContent(s.keys);
    // And the keys of the step list, tabs, menus and dialogs, where the focus is.
    const local = screen.getByTestId('local-keys');
    for (const [, keys] of LOCAL_KEYS) await expect.element(local).toHaveTextContent(keys);
    await userEvent.keyboard('{Escape}');
    await expect.element(list).not.toBeInTheDocument();
  });

  it('Alt+3 shows the graph and Ctrl+O opens the file picker', async () => {
    await render(<Harness />);
    (document.activeElement as HTMLElement | null)?.blur();
    await userEvent.keyboard('{Alt>}3{/Alt}');
    expect(useStore.getState().view).toBe('graph');
    await userEvent.keyboard('{Alt>}1{/Alt}');
    expect(useStore.getState().view).toBe('pipelines');
    const before = picked;
    await userEvent.keyboard('{Control>}o{/Control}');
    expect(picked).toBe(before + 1);
  });
});
