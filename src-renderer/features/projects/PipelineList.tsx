/** The project's pipelines: in the sidebar, and as the first screen with last runs and rows. */
import { useStore } from '../../store';

export function PipelineSidebar(): React.JSX.Element {
  const project = useStore((s) => s.project);
  const live = useStore((s) => s.live);
  const current = useStore((s) => (s.view === 'editor' ? s.editor?.name : null));
  const open = useStore((s) => s.openPipeline);
  return (
    <nav className="sidebar" aria-label="pipelines">
      <h2>Pipelines</h2>
      {project?.pipelines.map((p) => {
        const status = live[p.name]?.status ?? p.last_run?.status ?? 'never';
        return (
          <button
            key={p.name}
            className="pipe-item"
            aria-current={current === p.name}
            onClick={() => void open(p.name)}
            data-testid={`pipeline-${p.name}`}
          >
            <span className={`dot ${status}`} title={status} />
            <span>{p.name}</span>
            <small>{p.last_run ? p.last_run.rows_out.toLocaleString() : ''}</small>
          </button>
        );
      })}
    </nav>
  );
}

export function PipelinesView(): React.JSX.Element {
  const project = useStore((s) => s.project);
  const open = useStore((s) => s.openPipeline);
  const startRun = useStore((s) => s.startRun);
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
            <td className={`status ${p.last_run?.status ?? ''}`}>
              {p.last_run?.status ?? 'never run'}
            </td>
            <td>{p.last_run?.rows_out.toLocaleString() ?? ''}</td>
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
  );
}
