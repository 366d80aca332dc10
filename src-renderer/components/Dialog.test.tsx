/**
 * The dialog shell in Chromium: a real modal <dialog> with a backdrop and an inert page
 * behind; Escape and a click on the backdrop close it through the caller's state; Tab stays
 * inside; focus returns to the button that opened it.
 */
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { Dialog } from './Dialog';

function Harness(props: { backdropCloses?: boolean }): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const [outside, setOutside] = useState(0);
  return (
    <div>
      <button onClick={() => setOpen(true)}>Open it</button>
      <button onClick={() => setOutside((n) => n + 1)}>Outside {outside}</button>
      {open ? (
        <Dialog
          title="A dialog"
          onClose={() => setOpen(false)}
          small
          backdropCloses={props.backdropCloses}
        >
          <input aria-label="first field" />
          <button>Last button</button>
        </Dialog>
      ) : null}
    </div>
  );
}

const active = (): string =>
  document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '';

describe('Dialog', () => {
  it('opens modal, named by its title, with a backdrop and the page behind inert', async () => {
    const screen = await render(<Harness />);
    await screen.getByRole('button', { name: 'Open it' }).click();
    const dialog = screen.getByRole('dialog', { name: 'A dialog' });
    await expect.element(dialog).toBeVisible();
    const el = dialog.element() as HTMLDialogElement;
    expect(el.tagName).toBe('DIALOG');
    expect(el.matches(':modal')).toBe(true);
    expect(el.getAttribute('aria-modal')).toBe('true');
    expect(getComputedStyle(el, '::backdrop').backgroundColor).not.toBe('rgba(0, 0, 0, 0)');
    // The first field has focus; the page behind takes no clicks.
    expect(active()).toBe('first field');
    const outside = document.querySelectorAll('button')[1]!.getBoundingClientRect();
    const hit = document.elementFromPoint(outside.x + 4, outside.y + 4);
    expect(hit).toBe(el);
    await userEvent.keyboard('{Escape}');
    await expect.element(dialog).not.toBeInTheDocument();
  });

  it('Escape closes it and focus goes back to the button that opened it', async () => {
    const screen = await render(<Harness />);
    const opener = screen.getByRole('button', { name: 'Open it' });
    await opener.click();
    await expect.element(screen.getByRole('dialog')).toBeVisible();
    expect(active()).toBe('first field');
    await userEvent.keyboard('{Escape}');
    await expect.element(screen.getByRole('dialog')).not.toBeInTheDocument();
    expect(document.activeElement).toBe(opener.element());
  });

  it('keeps Tab inside: past the last control to the first, and Shift+Tab back', async () => {
    const screen = await render(<Harness />);
    await screen.getByRole('button', { name: 'Open it' }).click();
    await expect.element(screen.getByRole('dialog')).toBeVisible();
    // Close (in the header), the field, the last button: then round again.
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await userEvent.keyboard('{Tab}');
      order.push(active());
    }
    expect(order).toEqual(['Last button', 'Close', 'first field', 'Last button']);
    await userEvent.keyboard('{Shift>}{Tab}{/Shift}');
    expect(active()).toBe('first field');
    await userEvent.keyboard('{Shift>}{Tab}{/Shift}');
    expect(active()).toBe('Close');
    await userEvent.keyboard('{Shift>}{Tab}{/Shift}');
    expect(active()).toBe('Last button');
  });

  it('a click on the backdrop closes it, unless the caller says no; a click inside does not', async () => {
    const screen = await render(<Harness />);
    await screen.getByRole('button', { name: 'Open it' }).click();
    const dialog = screen.getByRole('dialog');
    await expect.element(dialog).toBeVisible();
    // Inside the box, on its padding-free content: stays open.
    await screen.getByRole('heading', { name: 'A dialog' }).click();
    await expect.element(dialog).toBeVisible();
    // The window's top-left corner is backdrop (the small dialog sits 60 px down, centred).
    await page.elementLocator(document.body).click({ position: { x: 5, y: 5 }, force: true });
    await expect.element(dialog).not.toBeInTheDocument();
    await screen.unmount();

    const kept = await render(<Harness backdropCloses={false} />);
    await kept.getByRole('button', { name: 'Open it' }).click();
    await expect.element(kept.getByRole('dialog')).toBeVisible();
    await page.elementLocator(document.body).click({ position: { x: 5, y: 5 }, force: true });
    await expect.element(kept.getByRole('dialog')).toBeVisible();
    await kept.getByRole('button', { name: 'Close' }).click();
    await expect.element(kept.getByRole('dialog')).not.toBeInTheDocument();
  });

  it('a dialog of text only can be reached by Tab, to scroll it; one with controls is not a stop', async () => {
    const screen = await render(
      <Dialog title="Text" onClose={() => undefined} small>
        <p>Only words.</p>
      </Dialog>,
    );
    const content = screen.getByRole('dialog').element().querySelector<HTMLElement>('.content')!;
    expect(content.tabIndex).toBe(0);
    await screen.unmount();
    const other = await render(<Harness />);
    await other.getByRole('button', { name: 'Open it' }).click();
    const withFields = other.getByRole('dialog').element().querySelector('.content')!;
    expect(withFields.hasAttribute('tabindex')).toBe(false);
  });
});
