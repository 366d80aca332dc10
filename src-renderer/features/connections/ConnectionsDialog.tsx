/**
 * The Connections dialog: the user's saved PostgreSQL connections (list, add, edit, remove with
 * a confirmation, test), and the header's button that leads to it.
 */
import { useEffect, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { useStore } from '../../store';
import type { SavedConnection } from '../../store/types';
import { ConnectionForm, draftOf, EMPTY } from './ConnectionForm';

export function ConnectionsDialog(): React.JSX.Element | null {
  const c = useStore((s) => s.connections);
  const close = useStore((s) => s.closeConnections);
  const remove = useStore((s) => s.removeConnection);
  const clearTest = useStore((s) => s.clearConnectionTest);
  /** The form shown: a new connection, one being edited, or none. */
  const [form, setForm] = useState<{ editing: SavedConnection | null; key: number } | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  useEffect(() => {
    if (!c.open) {
      setForm(null);
      setConfirm(null);
    }
  }, [c.open]);
  if (!c.open) return null;
  const show = (editing: SavedConnection | null): void => {
    clearTest();
    setConfirm(null);
    setForm({ editing, key: Date.now() });
  };

  return (
    <Dialog title="Connections" onClose={close} small>
      <p className="dir">
        Your PostgreSQL servers, for every project: a recipe&apos;s PostgreSQL source or output with{' '}
        <code>connection: NAME</code> reads from or loads into the one saved as NAME (it wins over a
        connection of the same name in sluice.yaml), and a run can be sent to one.
      </p>
      {c.error ? (
        <div className="error" role="alert" data-testid="connections-error">
          {c.error}
        </div>
      ) : null}
      {c.list && c.list.length ? (
        <table className="list" data-testid="connections-list">
          <thead>
            <tr>
              <th>name</th>
              <th>server</th>
              <th>database</th>
              <th>user</th>
              <th>password</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {c.list.map((x) => (
              <tr key={x.name}>
                <td>
                  <b>{x.name}</b>
                </td>
                <td>
                  {x.host}:{x.port}
                </td>
                <td>{x.database}</td>
                <td>{x.user}</td>
                <td>
                  {x.password_env_set
                    ? `from ${x.password_env}`
                    : x.password_kept
                      ? 'kept'
                      : 'none'}
                </td>
                <td>
                  {confirm === x.name ? (
                    <span role="group" aria-label={`confirm removing ${x.name}`}>
                      Remove {x.name}?{' '}
                      <button
                        className="danger"
                        disabled={c.busy}
                        onClick={() =>
                          void remove(x.name).then(() => {
                            setConfirm(null);
                            if (form?.editing?.name === x.name) setForm(null);
                          })
                        }
                      >
                        Yes, remove
                      </button>{' '}
                      <button onClick={() => setConfirm(null)}>Keep</button>
                    </span>
                  ) : (
                    <>
                      <button aria-label={`edit ${x.name}`} onClick={() => show(x)}>
                        Edit
                      </button>{' '}
                      <button aria-label={`remove ${x.name}`} onClick={() => setConfirm(x.name)}>
                        Remove
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <div className="empty">No saved connections yet.</div>
      )}
      {form ? (
        <ConnectionForm
          key={form.key}
          editing={form.editing}
          initial={form.editing ? draftOf(form.editing) : EMPTY}
          onDone={() => {
            clearTest();
            setForm(null);
          }}
        />
      ) : (
        <div className="toolbar">
          <button className="primary" onClick={() => show(null)}>
            Add a connection
          </button>
        </div>
      )}
    </Dialog>
  );
}

/** The header's way to the dialog. */
export function ConnectionsButton(): React.JSX.Element {
  const open = useStore((s) => s.openConnections);
  return (
    // In a narrow window the label gives way to the icon (styles.css: .topbar .label).
    <button
      onClick={open}
      title="Saved PostgreSQL connections"
      aria-label="Connections…"
      aria-haspopup="dialog"
    >
      <span aria-hidden="true">⛁</span>
      <span className="label"> Connections…</span>
    </button>
  );
}
