/** Runs: the list with filters and pages, and one run's tasks, progress, log and rejects. */
import { useEffect, useState } from 'react';
import { LOG_LEVELS, LogLevel, RUN_STATUSES, RunStatus } from '../../../src-shared/vocabulary';
import { useStore } from '../../store';
import { plural } from '../../components/plural';
import { ReportButtons } from '../outputs/OutputsView';
import { Timeline } from './Timeline';

export function RunDetail(): React.JSX.Element | null {
  const s = useStore();
  const { selected, logs, rejects } = s.runs;
  const [level, setLevel] = useState<LogLevel | undefined>(undefined);
  const [search, setSearch] = useState('');
  if (!selected) return null;
  const run = selected.run;
  const shown = logs.filter(
    (l) =>
      (!level || LOG_LEVELS.indexOf(l.level) >= LOG_LEVELS.indexOf(level)) &&
      (!search || l.message.toLowerCase().includes(search.toLowerCase())),
  );
  const running = run.status === 'running';
  return (
    <div data-testid="run-detail">
      <section className="card">
        <div className="toolbar">
          <h3 style={{ margin: 0 }}>
            {run.id}{' '}
            <span className={`status ${run.status}`} data-testid="run-status">
              {run.status}
            </span>
          </h3>
          <span className="dir">
            {run.run_date ? `date ${run.run_date} · ` : ''}
            {run.trigger} · in {run.rows_in.toLocaleString()} · out {run.rows_out.toLocaleString()}{' '}
            · rejected {run.rows_rejected.toLocaleString()}
          </span>
          <span className="spacer" />
          {running ? (
            <button className="danger" onClick={() => void s.cancelRun(run.id)}>
              Cancel
            </button>
          ) : (
            <>
              {run.status !== 'succeeded' ? (
                <button onClick={() => void s.resumeRun(run.id)}>Resume</button>
              ) : null}
              <button onClick={() => void s.startRun({ pipelines: run.pipelines, only: true })}>
                Re-run
              </button>
            </>
          )}
          {running ? null : <ReportButtons runId={run.id} />}
          <button onClick={() => void s.download('report-json', run.id)}>Summary JSON</button>
          <button onClick={() => void s.download('report-csv', run.id)}>Summary CSV</button>
        </div>
        {s.outputs.busy ? <div className="dir">{s.outputs.busy}</div> : null}
        {s.outputs.error ? <div className="error">{s.outputs.error}</div> : null}
      </section>
      <section className="card">
        <h3>Tasks</h3>
        <p className="dir" style={{ marginTop: 0 }}>
          Point at a bar for its books; click a task for what each of its steps did.
        </p>
        <Timeline detail={selected} />
        {running ? (
          <div className="progress" style={{ marginTop: 8 }}>
            <div
              style={{
                width: `${(selected.tasks.filter((t) => t.status !== 'running').length / Math.max(1, run.planned.length)) * 100}%`,
              }}
            />
          </div>
        ) : null}
      </section>
      <section className="card">
        <div className="toolbar">
          <h3 style={{ margin: 0 }}>Log</h3>
          <select
            aria-label="log level"
            value={level ?? ''}
            onChange={(e) => setLevel(LogLevel.safeParse(e.target.value).data)}
          >
            <option value="">all levels</option>
            <option value="info">info and above</option>
            <option value="warn">warnings and errors</option>
            <option value="error">errors</option>
          </select>
          <input
            aria-label="search the log"
            placeholder="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <span className="dir">{plural(shown.length, 'line')}</span>
        </div>
        <div className="log" data-testid="log">
          {shown.map((l, i) => (
            <div key={i} className={l.level}>
              {l.ts.slice(11, 23)} {l.level.toUpperCase().padEnd(5)}{' '}
              {l.pipeline ? `[${l.pipeline}] ` : ''}
              {l.message}
            </div>
          ))}
        </div>
      </section>
      <section className="card">
        <div className="toolbar">
          <h3 style={{ margin: 0 }}>Rejected and removed rows</h3>
          <button onClick={() => void s.loadRejects(run.id)}>Show</button>
          <button onClick={() => void s.download('rejects', run.id)}>Export CSV</button>
          {rejects ? (
            <span className="dir" data-testid="rejects-total">
              {plural(rejects.total, 'row')}
            </span>
          ) : null}
        </div>
        {rejects?.items.length ? (
          <table className="list" data-testid="rejects">
            <thead>
              <tr>
                <th>pipeline</th>
                <th>line</th>
                <th>what</th>
                <th>step</th>
                <th>reason</th>
                <th>raw</th>
              </tr>
            </thead>
            <tbody>
              {rejects.items.map((r) => (
                <tr key={r.id}>
                  <td>{r.pipeline}</td>
                  <td>{r.line}</td>
                  <td>{r.kind}</td>
                  <td>{r.step}</td>
                  <td>{r.reason}</td>
                  <td>
                    <code>{r.raw}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {rejects && rejects.total > rejects.items.length ? (
          <div className="toolbar">
            <button
              disabled={rejects.page <= 1}
              onClick={() => void s.loadRejects(run.id, rejects.page - 1)}
            >
              ‹
            </button>
            <span className="dir">page {rejects.page}</span>
            <button
              disabled={!rejects.has_next}
              onClick={() => void s.loadRejects(run.id, rejects.page + 1)}
            >
              ›
            </button>
          </div>
        ) : null}
      </section>
    </div>
  );
}

export function RunsView(): React.JSX.Element {
  const s = useStore();
  const { list, filter, error } = s.runs;
  const load = s.loadRuns;
  useEffect(() => void load(), [load]);
  return (
    <div>
      <div className="toolbar" style={{ marginBottom: 8 }}>
        <select
          aria-label="status filter"
          value={filter.status ?? ''}
          onChange={(e) => void load({ status: RunStatus.safeParse(e.target.value).data, page: 1 })}
        >
          <option value="">any status</option>
          {RUN_STATUSES.map((x) => (
            <option key={x}>{x}</option>
          ))}
        </select>
        <select
          aria-label="pipeline filter"
          value={filter.pipeline ?? ''}
          onChange={(e) => void load({ pipeline: e.target.value || undefined, page: 1 })}
        >
          <option value="">any pipeline</option>
          {s.project?.pipelines.map((p) => (
            <option key={p.name}>{p.name}</option>
          ))}
        </select>
        <button disabled={filter.page <= 1} onClick={() => void load({ page: filter.page - 1 })}>
          ‹
        </button>
        <span className="dir">
          page {filter.page}
          {list ? ` · ${plural(list.total, 'run')}` : ''}
        </span>
        <button disabled={!list?.has_next} onClick={() => void load({ page: filter.page + 1 })}>
          ›
        </button>
      </div>
      {error ? <div className="error">{error}</div> : null}
      {list && !list.items.length ? (
        <div className="empty">
          No runs yet. Press <b>Run all</b> (or <kbd>Ctrl</kbd>+<kbd>Enter</kbd>) to run the
          project.
        </div>
      ) : null}
      {list?.items.length ? (
        <table className="list" data-testid="runs-table">
          <thead>
            <tr>
              <th>run</th>
              <th>status</th>
              <th>date</th>
              <th>trigger</th>
              <th>started</th>
              <th>pipelines</th>
              <th>rows out</th>
              <th>rejected</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((r) => (
              <tr key={r.id} className="clickable" onClick={() => void s.openRun(r.id)}>
                <td>
                  <code>{r.id}</code>
                </td>
                <td className={`status ${r.status}`}>{r.status}</td>
                <td>{r.run_date}</td>
                <td>{r.trigger}</td>
                <td>{r.started_at.replace('T', ' ').slice(0, 19)}</td>
                <td>
                  {r.status === 'running' && r.pipelines.length < r.planned.length
                    ? `${r.pipelines.length} of ${r.planned.length} begun`
                    : r.planned.length}
                </td>
                <td>{r.rows_out.toLocaleString()}</td>
                <td>{r.rows_rejected.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div style={{ marginTop: 12 }}>
        <RunDetail />
      </div>
    </div>
  );
}
