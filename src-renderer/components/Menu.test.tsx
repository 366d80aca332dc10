/** The pop-up menu in Chromium: ARIA roles, keys, closing, and focus back where it was. */
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { Menu } from './Menu';

const chosen: string[] = [];

function Harness(): React.JSX.Element {
  const [at, setAt] = useState<{ x: number; y: number } | null>(null);
  return (
    <div>
      <button
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          setAt({ x: r.left, y: r.bottom });
        }}
      >
        Country ▾
      </button>
      <p style={{ marginTop: 300 }}>
        <button>elsewhere</button>
      </p>
      {at ? (
        <Menu
          label="column Country"
          at={at}
          onClose={() => setAt(null)}
          items={[
            { label: 'Sort ascending', onSelect: () => chosen.push('asc') },
            { label: 'Sort descending', onSelect: () => chosen.push('desc') },
            'separator',
            { label: 'Trim', onSelect: () => chosen.push('trim'), disabled: true },
            { label: 'Rename…', onSelect: () => chosen.push('rename') },
          ]}
        />
      ) : null}
    </div>
  );
}

const focused = (): string => document.activeElement?.textContent ?? '';

describe('Menu', () => {
  it('is a named menu of items; arrows wrap past disabled ones; a letter jumps; Enter acts', async () => {
    chosen.length = 0;
    const screen = await render(<Harness />);
    const opener = screen.getByRole('button', { name: 'Country ▾' });
    await opener.click();
    const menu = screen.getByRole('menu', { name: 'column Country' });
    await expect.element(menu).toBeVisible();
    expect(screen.getByRole('menuitem').elements()).toHaveLength(4);
    expect(focused()).toBe('Sort ascending');
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    // Trim is disabled: skipped.
    expect(focused()).toBe('Rename…');
    await userEvent.keyboard('{ArrowDown}');
    expect(focused()).toBe('Sort ascending');
    await userEvent.keyboard('{ArrowUp}');
    expect(focused()).toBe('Rename…');
    await userEvent.keyboard('{Home}');
    expect(focused()).toBe('Sort ascending');
    await userEvent.keyboard('s');
    expect(focused()).toBe('Sort descending');
    await userEvent.keyboard('{Enter}');
    expect(chosen).toEqual(['desc']);
    await expect.element(menu).not.toBeInTheDocument();
    expect(document.activeElement).toBe(opener.element());
  });

  it('Escape closes it with the focus back on the opener; a click elsewhere closes it too', async () => {
    chosen.length = 0;
    const screen = await render(<Harness />);
    const opener = screen.getByRole('button', { name: 'Country ▾' });
    await opener.click();
    await expect.element(screen.getByRole('menu')).toBeVisible();
    await userEvent.keyboard('{Escape}');
    await expect.element(screen.getByRole('menu')).not.toBeInTheDocument();
    expect(document.activeElement).toBe(opener.element());

    await opener.click();
    await expect.element(screen.getByRole('menu')).toBeVisible();
    await screen.getByRole('button', { name: 'elsewhere' }).click();
    await expect.element(screen.getByRole('menu')).not.toBeInTheDocument();
    expect(chosen).toEqual([]);
  });

  it('choices are menuitemradio with the chosen one checked; a letter reaches the chosen one too', async () => {
    const screen = await render(
      <Menu
        label="fruit"
        at={{ x: 10, y: 10 }}
        onClose={() => undefined}
        items={[
          { group: 'Fruit', label: 'Apple', checked: false },
          { label: 'Banana', checked: true },
          { label: 'Cherry', checked: false },
        ]}
      />,
    );
    const banana = screen.getByRole('menuitemradio', { name: 'Banana' });
    await expect.element(banana).toHaveAttribute('aria-checked', 'true');
    await expect
      .element(screen.getByRole('menuitemradio', { name: 'Apple' }))
      .toHaveAttribute('aria-checked', 'false');
    await userEvent.keyboard('b');
    expect(document.activeElement).toBe(banana.element());
  });
});
