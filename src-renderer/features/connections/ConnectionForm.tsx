/** The form of one connection: its details, its password (kept by the keychain), and a test. */
import { useState } from 'react';
import type { Params } from '../../../src-shared/api/contract';
import { useStore } from '../../store';
import type { SavedConnection } from '../../store/types';

type SslMode = SavedConnection['sslmode'];

export interface Draft {
  name: string;
  host: string;
  port: string;
  database: string;
  user: string;
  sslmode: SslMode;
  password: string;
  forget: boolean;
}

export const EMPTY: Draft = {
  name: '',
  host: 'localhost',
  port: '5432',
  database: '',
  user: '',
  sslmode: 'disable',
  password: '',
  forget: false,
};

export const draftOf = (c: SavedConnection): Draft => ({
  ...EMPTY,
  name: c.name,
  host: c.host,
  port: String(c.port),
  database: c.database,
  user: c.user,
  sslmode: c.sslmode,
});

/**
 * The port as typed, or why it is none. Example: '5432' -> {port: 5432}; '54x' -> {error: ...}.
 */
export function portOf(text: string): { port: number } | { error: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t))
    return {
      error: `${t ? `"${t}" is not a port` : 'No port'}: give a whole number from 1 to 65535 (PostgreSQL's usual one is 5432)`,
    };
  const port = Number(t);
  return port >= 1 && port <= 65535
    ? { port }
    : { error: `${t} is out of range: a port is a whole number from 1 to 65535` };
}

/** The details as the contract takes them (the port a number: checked by portOf first). */
const details = (d: Draft, port: number) => ({
  host: d.host.trim(),
  port,
  database: d.database.trim(),
  user: d.user.trim(),
  sslmode: d.sslmode,
});

export function ConnectionForm({
  editing,
  initial,
  onDone,
}: {
  /** The saved connection being edited; null: a new one. */
  editing: SavedConnection | null;
  initial: Draft;
  onDone(): void;
}): React.JSX.Element {
  const c = useStore((s) => s.connections);
  const save = useStore((s) => s.saveConnection);
  const test = useStore((s) => s.testConnection);
  /** In the desktop app (not a browser): no keychain means this computer has none. */
  const desktop = useStore((s) => s.client.kind === 'ipc');
  const [d, setD] = useState<Draft>(initial);
  const set = (p: Partial<Draft>): void => setD({ ...d, ...p });
  const port = portOf(d.port);
  const portError = 'error' in port ? port.error : null;
  const complete =
    d.name.trim() && d.host.trim() && d.database.trim() && d.user.trim() && !portError;
  // Typed: kept. Empty: the kept one stays (omitted), unless "forget" says null.
  const password = d.password ? d.password : d.forget ? null : undefined;

  const submit = async (): Promise<void> => {
    if (!('port' in port)) return; // the field says why
    const p: Params<'connections.save'> = {
      name: d.name.trim(),
      ...details(d, port.port),
      exists: editing !== null,
      ...(password !== undefined ? { password } : {}),
    };
    if (await save(p)) onDone();
  };

  const field = (
    id: keyof Draft,
    label: string,
    extra: React.InputHTMLAttributes<HTMLInputElement> = {},
  ) => (
    <>
      <label htmlFor={`conn-${id}`}>{label}</label>
      <input
        id={`conn-${id}`}
        value={d[id] as string}
        onChange={(e) => set({ [id]: e.target.value })}
        {...extra}
      />
    </>
  );

  return (
    <form
      aria-label={editing ? `edit connection ${editing.name}` : 'new connection'}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>{editing ? `Edit ${editing.name}` : 'New connection'}</h3>
      <div className="form">
        {field('name', 'Name', {
          disabled: editing !== null,
          placeholder: 'warehouse',
          autoFocus: editing === null,
        })}
        {field('host', 'Host')}
        {field('port', 'Port', {
          inputMode: 'numeric',
          'aria-invalid': portError !== null,
          'aria-describedby': portError ? 'conn-port-error' : undefined,
        })}
        {portError ? (
          <div className="issue" id="conn-port-error" role="alert">
            {portError}
          </div>
        ) : null}
        {field('database', 'Database')}
        {field('user', 'User')}
        <label htmlFor="conn-sslmode">TLS</label>
        <select
          id="conn-sslmode"
          value={d.sslmode}
          onChange={(e) => set({ sslmode: e.target.value as SslMode })}
        >
          <option value="disable">off (sslmode disable)</option>
          <option value="require">encrypted, certificate not checked (sslmode require)</option>
          <option value="verify-full">encrypted, certificate and host checked (verify-full)</option>
        </select>
        <label htmlFor="conn-password">Password</label>
        <input
          id="conn-password"
          type="password"
          autoComplete="new-password"
          value={d.password}
          disabled={!c.keychain}
          placeholder={
            !c.keychain
              ? `no keychain here: set ${editing?.password_env ?? 'SLUICE_PASSWORD_<NAME>'}`
              : editing?.password_kept
                ? 'kept (leave empty to keep it)'
                : 'kept by the OS keychain, never in sluice.yaml'
          }
          onChange={(e) => set({ password: e.target.value, forget: false })}
        />
        {editing?.password_kept ? (
          <>
            <span />
            <label>
              <input
                type="checkbox"
                checked={d.forget}
                onChange={(e) => set({ forget: e.target.checked, password: '' })}
              />{' '}
              Forget the kept password
            </label>
          </>
        ) : null}
      </div>
      {!c.keychain ? (
        <p className="dir" data-testid="no-keychain">
          {desktop
            ? 'This computer offers no secure OS keychain (on Linux: start GNOME Keyring or KWallet, then restart Sluice), so passwords are not kept.'
            : 'Passwords are kept only by the desktop app (in the OS keychain).'}{' '}
          Here, runs take the password from {editing?.password_env ?? 'SLUICE_PASSWORD_<NAME>'},
          else PGPASSWORD.
        </p>
      ) : null}
      <div className="toolbar">
        <button
          type="button"
          disabled={
            c.testing || !d.host.trim() || !d.database.trim() || !d.user.trim() || !('port' in port)
          }
          onClick={() => {
            if ('port' in port)
              void test({
                ...details(d, port.port),
                ...(editing ? { name: editing.name } : {}),
                ...(d.password ? { password: d.password } : {}),
              });
          }}
        >
          {c.testing ? 'Testing…' : 'Test connection'}
        </button>
        <span className="spacer" />
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={c.busy || !complete}>
          Save
        </button>
      </div>
      {c.test ? (
        <div role="status" data-testid="connection-test">
          {c.test.ok ? (
            <span className="status succeeded">Connected: {c.test.version}</span>
          ) : (
            <div className="error">
              {c.test.target}: {c.test.error}
            </div>
          )}
        </div>
      ) : null}
    </form>
  );
}
