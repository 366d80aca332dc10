/**
 * The project switcher: recent projects, a folder to open by path (or the desktop's picker).
 * Asked for a new project, the same dialog makes the folder given a project.
 */
import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { useStore } from '../../store';

export function ProjectDialog(): React.JSX.Element | null {
  const p = useStore((s) => s.projects);
  const show = useStore((s) => s.showProjects);
  const open = useStore((s) => s.openProject);
  const picker = useStore((s) => s.client.pickFolder);
  const [path, setPath] = useState('');
  if (!p.open) return null;
  const title = p.creating ? 'Start a new project' : 'Open a project';
  return (
    <Dialog title={title} onClose={() => void show(false)} small>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void open(path.trim(), p.creating);
        }}
      >
        <input
          aria-label="project folder"
          placeholder={
            p.creating ? '/full/path/to/a/new, empty folder' : '/full/path/to/a/project folder'
          }
          value={path}
          onChange={(e) => setPath(e.target.value)}
          style={{ flex: 1 }}
          autoFocus
        />
        {picker ? (
          <button
            type="button"
            onClick={() =>
              void picker().then((dir) => {
                if (dir) {
                  setPath(dir);
                  void open(dir, p.creating);
                }
              })
            }
          >
            Browse…
          </button>
        ) : null}
        <button type="submit" className="primary" disabled={p.busy || !path.trim()}>
          {p.creating ? 'Create' : 'Open'}
        </button>
      </form>
      {p.error ? (
        <div className="error" data-testid="project-error">
          {p.error}
          {p.canCreate ? (
            <div>
              <button onClick={() => void open(p.canCreate!, true)} disabled={p.busy}>
                Start a new project in {p.canCreate}
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
      <section>
        <h3>Recent projects</h3>
        {p.recent && p.recent.items.length ? (
          <ul className="recent" data-testid="recent-projects">
            {p.recent.items.map((r) => (
              <li key={r.dir}>
                <button
                  disabled={p.busy}
                  aria-current={r.dir === p.recent!.current}
                  onClick={() => (r.dir === p.recent!.current ? show(false) : open(r.dir))}
                >
                  <b>{r.name ?? '(sluice.yaml unreadable)'}</b> <span className="dir">{r.dir}</span>
                  {r.dir === p.recent!.current ? <span className="dir"> · open now</span> : null}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <div className="empty">
            No projects opened yet. Type a folder&apos;s full path above: a folder without a
            sluice.yaml can become a new project.
          </div>
        )}
      </section>
    </Dialog>
  );
}
