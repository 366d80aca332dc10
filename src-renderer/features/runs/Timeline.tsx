/**
 * A run's tasks as a timeline: a bar per pipeline from its start to its end with its duration,
 * a tooltip with its books, the run's waiting pipelines as queued; a click on a task shows what
 * each of its steps did.
 */
import { useState } from 'react';
import { plural } from '../../components/plural';
import { useStore } from '../../store';
import type { RunDetail } from '../../store/types';

type Task = RunDetail['tasks'][number];

/** 850 ms, 3.2 s, 2 min 5 s. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

function tooltip(t: Task, ms: number): string {
  const books =
    t.status === 'running'
      ? 'running'
      : `${plural(t.rows_in, 'row')} in, ${plural(t.rows_out, 'row')} written, ${t.rows_rejected.toLocaleString()} rejected`;
  return [
    `${t.pipeline}: ${t.status.replace('_', ' ')} in ${duration(ms)}`,
    books,
    `started ${t.started_at.slice(11, 19)} UTC${t.attempts && t.attempts > 1 ? `, ${t.attempts} attempts` : ''}`,
    t.error ?? '',
  ]
    .filter(Boolean)
    .join('\n');
}

export function Timeline({ detail }: { detail: RunDetail }): React.JSX.Element {
  const live = useStore((s) => s.live);
  const [open, setOpen] = useState<string | null>(null);
  const { run, tasks } = detail;
  const now = Date.now();
  const t0 = Date.parse(run.started_at);
  const endOf = (t: Task): number => (t.finished_at ? Date.parse(t.finished_at) : now);
  const end = Math.max(run.finished_at ? Date.parse(run.finished_at) : now, ...tasks.map(endOf));
  const span = Math.max(1, end - t0);
  // A task appears as its pipeline begins; the run's plan names those still waiting.
  const waiting = run.status === 'running' ? detail.queued : [];
  const shown = tasks.find((t) => t.pipeline === open);
  return (
    <>
      <div className="timeline" data-testid="timeline">
        {tasks.map((t) => {
          const a = Date.parse(t.started_at) - t0;
          const ms = Math.max(0, endOf(t) - Date.parse(t.started_at));
          const l = live[t.pipeline];
          return (
            <button
              type="button"
              className="tl-row"
              key={t.pipeline}
              title={tooltip(t, ms)}
              aria-expanded={open === t.pipeline}
              onClick={() => setOpen(open === t.pipeline ? null : t.pipeline)}
              data-testid={`task-${t.pipeline}`}
            >
              <span className="tl-name">
                <span className={`dot ${t.status}`} /> {t.pipeline}
              </span>
              <span className="tl-track">
                <span
                  className={`tl-bar ${t.status}`}
                  style={{ left: `${(a / span) * 100}%`, width: `${(ms / span) * 100}%` }}
                />
                <span
                  // After the bar; before it when the bar ends near the right edge; inside it
                  // when it fills the track.
                  className={`tl-time${a / span < 0.15 && (a + ms) / span > 0.85 ? ' inside' : ''}`}
                  style={
                    (a + ms) / span <= 0.85
                      ? { left: `${((a + ms) / span) * 100}%`, marginLeft: 4 }
                      : a / span >= 0.15
                        ? { right: `${100 - (a / span) * 100}%`, marginRight: 4 }
                        : { right: `${100 - ((a + ms) / span) * 100}%`, marginRight: 6 }
                  }
                >
                  {duration(ms)}
                </span>
              </span>
              <span className="dir n">
                {t.status === 'running' && l?.rows !== undefined
                  ? `${plural(l.rows, 'row')}${l.rps ? ` · ${Math.round(l.rps).toLocaleString()}/s` : ''}`
                  : plural(t.rows_out, 'row')}
              </span>
            </button>
          );
        })}
        {waiting.map((p) => (
          <div className="tl-row" key={p} data-testid={`task-${p}`} title={`${p}: queued`}>
            <span className="tl-name">
              <span className="dot queued" /> {p}
            </span>
            <span className="tl-track" />
            <span className="dir">queued</span>
          </div>
        ))}
        <div className="tl-axis dir">
          <span />
          <span className="tl-scale">
            <span>0 s</span>
            <span>{duration(span)}</span>
          </span>
          <span />
        </div>
      </div>
      {shown ? <StepCounts task={shown} /> : null}
    </>
  );
}

function StepCounts({ task }: { task: Task }): React.JSX.Element {
  return (
    <div className="step-counts" data-testid="step-counts">
      <b>{task.pipeline}</b>{' '}
      <span className="dir">
        {task.steps.length ? `${plural(task.steps.length, 'step')}` : 'no step counts yet'}
        {task.error ? ` · ${task.error}` : ''}
      </span>
      {task.steps.length ? (
        <table className="list">
          <thead>
            <tr>
              <th>#</th>
              <th>step</th>
              <th className="n">rows in</th>
              <th className="n">rows out</th>
              <th className="n">rejected</th>
              <th className="n">removed</th>
              <th className="n">cells changed</th>
              <th className="n">time</th>
            </tr>
          </thead>
          <tbody>
            {task.steps.map((s, i) => (
              <tr key={i}>
                <td>{i + 1}</td>
                <td>
                  {s.kind}
                  {/* A step's own name, when it was given one (not the "2:trim" made up). */}
                  {s.name && !/^\d+:/.test(s.name) ? <span className="dir"> {s.name}</span> : null}
                </td>
                <td className="n">{s.rows_in.toLocaleString()}</td>
                <td className="n">{s.rows_out.toLocaleString()}</td>
                <td className="n">{s.rows_rejected.toLocaleString()}</td>
                <td className="n">{s.rows_removed.toLocaleString()}</td>
                <td className="n">{s.cells_changed.toLocaleString()}</td>
                <td className="n">{duration(s.ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
