/**
 * The header's appearance control: a browser tab's way to choose light or dark. The desktop app
 * chooses it in its View menu, so there the header does not show it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-react';
import type { ApiClient } from '../../api/client';
import { useStore } from '../../store';
import { AppearanceSelect } from './AppearanceSelect';

const client = (kind: ApiClient['kind']): ApiClient => ({
  kind,
  pickFolder: null,
  getFile: () => Promise.reject(new Error('not in this test')),
  showFile: null,
  call: () => Promise.reject(new Error('not in this test')),
  subscribe: () => () => undefined,
  importable: () => Promise.reject(new Error('not in this test')),
});

beforeEach(() => {
  localStorage.clear();
  useStore.setState({ appearance: 'system' });
});

describe('AppearanceSelect', () => {
  it('in a browser tab, offers System, Light and Dark and remembers the choice', async () => {
    useStore.setState({ client: client('http') });
    const screen = await render(<AppearanceSelect />);
    const select = screen.getByLabelText('appearance');
    await expect.element(select).toHaveValue('system');
    await select.selectOptions('dark');
    expect(useStore.getState().appearance).toBe('dark');
    expect(localStorage.getItem('sluice.appearance')).toBe('dark');
  });

  it('in the desktop app (the bridge’s IPC client) is not shown: the View menu has it', async () => {
    useStore.setState({ client: client('ipc') });
    const screen = await render(<AppearanceSelect />);
    expect(screen.getByLabelText('appearance').query()).toBeNull();
    expect(screen.container.querySelector('select')).toBeNull();
  });
});
