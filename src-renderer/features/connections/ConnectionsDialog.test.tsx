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
/** Whether the listing says passwords can be kept here. */
let keychain = true;

function fakeClient(): ApiClient {
  return {
    kind: 'ipc',
    pickFolder: null,
    getFile: () => Promise.reject(new Error('not here')),
    showFile: null,
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
  keychain = true;
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

  it('a port that is not a number, or out of range, is named at the field and nothing is sent', async () => {
    const screen = await render(<ConnectionsDialog />);
    await screen.getByRole('button', { name: 'edit warehouse' }).click();
    const port = screen.getByLabelText('Port');
    const save = screen.getByRole('button', { name: 'Save' });
    const test = screen.getByRole('button', { name: 'Test connection' });
    await userEvent.fill(port.element(), '54x2');
    await expect
      .element(screen.getByRole('alert'))
      .toHaveTextContent('"54x2" is not a port: give a whole number from 1 to 65535');
    await expect.element(port).toHaveAttribute('aria-invalid', 'true');
    await expect.element(save).toBeDisabled();
    await expect.element(test).toBeDisabled();
    await userEvent.fill(port.element(), '70000');
    await expect
      .element(screen.getByRole('alert'))
      .toHaveTextContent('70000 is out of range: a port is a whole number from 1 to 65535');
    await userEvent.keyboard('{Enter}'); // the form is not sent by Enter either
    await userEvent.fill(port.element(), '');
    await expect.element(screen.getByRole('alert')).toHaveTextContent('No port: give');
    expect(calls.filter(([m]) => m !== 'connections.list')).toEqual([]);

    await userEvent.fill(port.element(), '5433');
    await expect.element(port).toHaveAttribute('aria-invalid', 'false');
    await save.click();
    await expect
      .poll(() => calls.find(([m]) => m === 'connections.save')?.[1])
      .toMatchObject({ name: 'warehouse', port: 5433 });
  });
});

describe('the Connections dialog in the desktop app without a keychain', () => {
  it('says this computer has none and what to do, not "use the desktop app"', async () => {
    keychain = false;
    await useStore.getState().loadConnections();
    const screen = await render(<ConnectionsDialog />);
    await screen.getByRole('button', { name: 'edit warehouse' }).click();
    const note = screen.getByTestId('no-keychain');
    await expect.element(note).toHaveTextContent('This computer offers no secure OS keychain');
    await expect
      .element(note)
      .toHaveTextContent('runs take the password from SLUICE_PASSWORD_WAREHOUSE');
    await expect.element(note).not.toHaveTextContent('kept only by the desktop app');
    await expect.element(screen.getByLabelText('Password', { exact: true })).toBeDisabled();
  });
});
