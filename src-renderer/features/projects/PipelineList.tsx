/** The project's pipelines: in the sidebar, and as the first screen with last runs and rows. */
import { CollapsedRail, HideButton, Splitter, usePane } from '../../components/Splitter';
import { useStore } from '../../store';
import { shownRows, shownStatus } from './pipeline-status';

/** The sidebar, resizable and collapsible, beside the main view (the body is a flex row). */
export function PipelineSidebar(): React.JSX.Element {
  const project = useStore((s) => s.project);
  const live = useStore((s) => s.live);
  const current = useStore((s) => (s.view === 'editor' ? s.editor?.name : null));
  const open = useStore((s) => s.openPipeline);
  const pane = usePane('sidebar', 240, 160, 420);
  if (pane.collapsed)
    return (
      <CollapsedRail
        label="pipelines"
        arrow="»"
        onOpen={() => pane.collapse(false)}
        testId="show-sidebar"
      />
    );
  return (
    <>
      <nav
        className="sidebar"
        aria-label="pipelines"
        style={{ width: pane.size }}
        data-testid="sidebar"
      >
        <div className="pane-head">
          <h2>Pipelines</h2>
          <HideButton
            label="pipelines"
            arrow="«"
            onHide={() => pane.collapse(true)}
            testId="hide-sidebar"
          />
        </div>
        {project?.pipelines.map((p) => {
          const status = shownStatus(p, live[p.name]);
          const rows = shownRows(p, live[p.name]);
          return (
            <button
              key={p.name}
              className="pipe-item"
              aria-current={current === p.name}
              onClick={() => void open(p.name)}
              data-testid={`pipeline-${p.name}`}
              title={`${p.name}: ${status}${rows ? `, ${rows}` : ''}`}
            >
              <span className={`dot ${status}`} />
              <span className="name">{p.name}</span>
              <small data-testid={`rows-${p.name}`}>{rows.replace(/ rows?( read)?$/, '')}</small>
            </button>
          );
        })}
      </nav>
      <Splitter pane={pane} label="resize the pipelines" edge="right" testId="sidebar-splitter" />
    </>
  );
}

export function PipelinesView(): React.JSX.Element {
  const project = useStore((s) => s.project);
  const open = useStore((s) => s.openPipeline);
  const startRun = useStore((s) => s.startRun);
  const live = useStore((s) => s.live);
  if (!project) return <div className="empty">Loading the project…</div>;
  if (!project.pipelines.length)
    return (
      <div className="empty">
        <h2>No pipelines yet</h2>
        <p>
          Drop CSV files anywhere on this window, or use <b>Import CSV…</b> above. Sluice reads each
          file, shows what it found, and makes a pipeline of it.
        </p>
      </div>
    );
  return (
    <>
      <table className="list" data-testid="pipelines-table">
        <thead>
          <tr>
            <th>pipeline</th>
            <th>source</th>
            <th>needs</th>
            <th>last run</th>
            <th>rows out</th>
            <th>finished</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {project.pipelines.map((p) => (
            <tr key={p.name} className="clickable" onClick={() => void open(p.name)}>
              <td>
                <b>{p.name}</b>
                {p.description ? <div className="dir">{p.description}</div> : null}
              </td>
              <td>
                <code>{p.source}</code>
              </td>
              <td>{p.upstream.join(', ')}</td>
              <td className={`status ${shownStatus(p, live[p.name])}`}>
                {shownStatus(p, live[p.name]).replace('never', 'never run')}
              </td>
              <td className="n">{shownRows(p, live[p.name])}</td>
              <td>{p.last_run?.finished_at?.replace('T', ' ').slice(0, 19) ?? ''}</td>
              <td>
                <button
                  onClick={(e) => {
                    e.stopPropagation();
                    void startRun({ pipelines: [p.name], only: true });
                  }}
                >
                  Run
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint" data-testid="drop-hint">
        Drop CSV files anywhere on this window to make more pipelines of them.
      </p>
    </>
  );
}
