/** The view tabs in Chromium: the ARIA tabs pattern, arrow keys between views. */
import { describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { useStore } from '../../store';
import { viewPanel, ViewTabs } from './ViewTabs';

function Harness(): React.JSX.Element {
  const view = useStore((s) => s.view);
  return (
    <div>
      <ViewTabs />
      <main {...viewPanel(view)}>{view}</main>
    </div>
  );
}

describe('the view tabs', () => {
  it('name the panel they control; one Tab stop; arrows, Home and End show the next view', async () => {
    useStore.setState({ view: 'pipelines' });
    const screen = await render(<Harness />);
    const tabs = screen.getByRole('tab');
    expect(tabs.elements()).toHaveLength(5);
    for (const t of tabs.elements()) expect(t.getAttribute('aria-controls')).toBe('view-panel');
    const panel = screen.getByRole('tabpanel', { name: 'Pipelines' });
    await expect.element(panel).toHaveTextContent('pipelines');
    expect(tabs.elements().map((t) => t.tabIndex)).toEqual([0, -1, -1, -1, -1]);

    await screen.getByRole('tab', { name: 'Pipelines' }).click();
    await userEvent.keyboard('{ArrowRight}');
    expect(useStore.getState().view).toBe('editor');
    expect(document.activeElement?.textContent).toBe('Editor');
    await expect.element(screen.getByRole('tabpanel', { name: 'Editor' })).toBeVisible();
    await userEvent.keyboard('{ArrowLeft}{ArrowLeft}');
    expect(useStore.getState().view).toBe('outputs');
    await userEvent.keyboard('{Home}');
    expect(useStore.getState().view).toBe('pipelines');
    await userEvent.keyboard('{End}');
    expect(useStore.getState().view).toBe('outputs');
    expect(document.activeElement?.getAttribute('aria-selected')).toBe('true');
  });
});
