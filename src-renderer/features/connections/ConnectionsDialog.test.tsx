/**
 * The Connections dialog as the desktop app shows it (a keychain is there), with a client that
 * records what it is asked: a password typed is sent, an empty one keeps the kept one, "forget"
 * sends null, and a failed test shows the server's reason.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import type { MethodName, Result } from '../../../src-shared/api/contract';
import type { ApiClient } from '../../api/client';
import { useStore } from '../../store';
import type { SavedConnection } from '../../store/types';
import { ConnectionsDialog } from './ConnectionsDialog';

const warehouse: SavedConnection = {
  name: 'warehouse',
  host: 'db.example',
  port: 5432,
  database: 'dw',
  user: 'etl',
  sslmode: 'disable',
  url: 'postgres://etl@db.example:5432/dw',
  password_kept: true,
  password_env: 'SLUICE_PASSWORD_WAREHOUSE',
  password_env_set: false,
  shadows_project: false,
};

let calls: [MethodName, unknown][] = [];

function fakeClient(keychain = true): ApiClient {
  return {
    kind: 'ipc',
    pickFolder: null,
    subscribe: () => () => undefined,
    importable: () => Promise.reject(new Error('not here')),
    async call(method, params) {
      calls.push([method, params]);
      const answers: Partial<Record<MethodName, unknown>> = {
        'connections.list': { connections: [warehouse], keychain },
        'connections.save': warehouse,
        'connections.test': {
          ok: false,
          version: null,
          error: 'authentication failed for user "etl" at db.example:5432',
          target: 'etl@db.example:5432/dw',
        } satisfies Result<'connections.test'>,
      };
      return answers[method] as never;
    },
  };
}

beforeEach(() => {
  calls = [];
  useStore.setState({ client: fakeClient() });
  useStore.getState().openConnections();
});

describe('the Connections dialog with a keychain', () => {
  it('an edit leaves the kept password alone unless one is typed or forgotten', async () => {
    const screen = await render(<ConnectionsDialog />);
    await screen.getByRole('button', { name: 'edit warehouse' }).click();
    const password = screen.getByLabelText('Password', { exact: true });
    await expect.element(password).toBeEnabled();
    await expect.element(password).toHaveAttribute('placeholder', 'kept (leave empty to keep it)');
    await screen.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => calls.find(([m]) => m === 'connections.save')?.[1])
      .toEqual({
        name: 'warehouse',
        host: 'db.example',
        port: 5432,
        database: 'dw',
        user: 'etl',
        sslmode: 'disable',
        exists: true,
      });

    calls = [];
    await screen.getByRole('button', { name: 'edit warehouse' }).click();
    await screen.getByLabelText('Forget the kept password').click();
    await screen.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => calls.find(([m]) => m === 'connections.save')?.[1])
      .toMatchObject({ name: 'warehouse', password: null });

    calls = [];
    await screen.getByRole('button', { name: 'edit warehouse' }).click();
    await userEvent.fill(
      screen.getByLabelText('Password', { exact: true }).element(),
      'new-secret',
    );
    await screen.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => calls.find(([m]) => m === 'connections.save')?.[1])
      .toMatchObject({ password: 'new-secret' });
  });

  it("a failed test shows the server's reason; the test of a saved one names it", async () => {
    const screen = await render(<ConnectionsDialog />);
    await screen.getByRole('button', { name: 'edit warehouse' }).click();
    await screen.getByRole('button', { name: 'Test connection' }).click();
    await expect
      .element(screen.getByRole('status'))
      .toHaveTextContent('authentication failed for user "etl"');
    expect(calls.find(([m]) => m === 'connections.test')?.[1]).toEqual({
      name: 'warehouse',
      host: 'db.example',
      port: 5432,
      database: 'dw',
      user: 'etl',
      sslmode: 'disable',
    });
  });

  it('remove asks first', async () => {
    const screen = await render(<ConnectionsDialog />);
    await screen.getByRole('button', { name: 'remove warehouse' }).click();
    expect(calls.some(([m]) => m === 'connections.remove')).toBe(false);
    await screen.getByRole('button', { name: 'Yes, remove' }).click();
    await expect.poll(() => calls.map(([m]) => m)).toContain('connections.remove');
  });
});

describe('the Connections dialog in a desktop app without a keychain', () => {
  it('says passwords cannot be kept on this computer, and where runs take them from', async () => {
    useStore.setState({ client: fakeClient(false) });
    useStore.getState().openConnections();
    const screen = await render(<ConnectionsDialog />);
    await screen.getByRole('button', { name: 'edit warehouse' }).click();
    await expect.element(screen.getByLabelText('Password', { exact: true })).toBeDisabled();
    await expect
      .element(screen.getByTestId('no-keychain'))
      .toHaveTextContent(
        'This computer has no OS keychain Sluice can use (on Linux: GNOME Keyring, KWallet or another Secret Service), so passwords cannot be kept. Here, runs take the password from SLUICE_PASSWORD_WAREHOUSE, else PGPASSWORD.',
      );
  });
});
