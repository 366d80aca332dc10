/**
 * Outputs and reports of a run (the latest, or one chosen): the project's reports by their
 * description, every file and table with rows, size and time, any of them open in a paged,
 * sortable grid, downloads as CSV or Excel, and the run's report as HTML, Excel or PDF.
 */
import type { ColDef } from 'ag-grid-community';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Grid, type Row, type RowSource } from '../../components/LazyGrid';
import { GRID_HEADER_PX, GRID_ROW_PX } from '../../components/grid-sizes';
import { plural } from '../../components/plural';
import { useStore } from '../../store';
import type { OutputInfo } from '../../store/types';

const size = (n: number | null): string =>
  n === null
    ? '—'
    : n < 1024
      ? `${n} B`
      : n < 1 << 20
        ? `${(n / 1024).toFixed(1)} KB`
        : `${(n / (1 << 20)).toFixed(1)} MB`;
/** Column types (Sluice's, SQLite's, PostgreSQL's) whose values are numbers, right-aligned. */
const NUMERIC = /^(int|float|decimal|integer|real|numeric|bigint|smallint|double precision)$/i;
const pad = (n: number): string => String(n).padStart(2, '0');
/** A time as the Runs view shows one: 2026-12-03 08:07:30, local. */
const when = (iso: string | null): string => {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};
const where = (o: OutputInfo): string => (o.table ? `${o.table} in ${o.path}` : o.path);
const label = (o: OutputInfo): string =>
  `${o.pipeline} — ${o.table ?? o.path.split(/[\\/]/).pop()}`;

/** The buttons that export a run's report. */
export function ReportButtons({ runId }: { runId: string }): React.JSX.Element {
  const exportReport = useStore((s) => s.exportReport);
  const busy = useStore((s) => s.outputs.busy);
  return (
    <span className="report-buttons" role="group" aria-label="Run report">
      <span className="dir">Run report:</span>
      <button
        onClick={() => void exportReport(runId, 'html')}
        disabled={busy !== null}
        title="The run's report as one page: each pipeline's rows, rejects, timings, loads, data quality and recipe"
      >
        HTML
      </button>
      <button onClick={() => void exportReport(runId, 'xlsx')} disabled={busy !== null}>
        Excel
      </button>
      <button onClick={() => void exportReport(runId, 'pdf')} disabled={busy !== null}>
        PDF
      </button>
    </span>
  );
}

function OutputGrid({ o }: { o: OutputInfo }): React.JSX.Element {
  const outputRows = useStore((s) => s.outputRows);
  const runId = useStore((s) => s.outputs.list?.run?.id);
  const [shape, setShape] = useState<{
    columns: { name: string; type: string }[];
    total: number;
  } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setShape(null);
    setError(null);
    outputRows(0, 1).then(
      (p) => live && setShape({ columns: p.columns, total: p.total }),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [o, runId, outputRows]);
  const columns = useMemo<ColDef<Row>[]>(
    () =>
      (shape?.columns ?? []).map(({ name, type }, i) => ({
        colId: name,
        field: `c${i}`,
        headerName: name,
        headerTooltip: `${name} (${type})`,
        headerComponentParams: { name, type },
        ...(NUMERIC.test(type) ? { type: 'rightAligned' } : {}),
      })),
    [shape],
  );
  const source = useMemo<RowSource | undefined>(
    () =>
      shape
        ? {
            total: shape.total,
            sortable: true,
            rows: async (offset, limit, sort) => {
              const p = await outputRows(offset, limit, sort);
              return p.rows.map((r) => Object.fromEntries(r.map((v, i) => [`c${i}`, v])));
            },
          }
        : undefined,
    [shape, outputRows],
  );
  if (error) return <div className="error">{error}</div>;
  if (!shape || !source) return <div className="dir">Opening {label(o)}…</div>;
  return (
    <>
      <div className="dir" data-testid="output-count">
        {plural(shape.total, 'row')} · {plural(shape.columns.length, 'column')} · click a header to
        sort
      </div>
      {/* A small output gets a box its size (room for a horizontal scrollbar); a big one, 420 px. */}
      <div
        style={{
          height: Math.min(420, GRID_HEADER_PX + GRID_ROW_PX * Math.max(1, shape.total) + 20),
          display: 'flex',
        }}
        data-testid="output-grid-box"
      >
        <Grid source={source} columns={columns} block={200} testId="output-grid" />
      </div>
    </>
  );
}

function OutputActions({ o, open = true }: { o: OutputInfo; open?: boolean }): React.JSX.Element {
  const s = useStore();
  const canShow = s.client.showFile !== null && o.kind !== 'postgres';
  const busy = s.outputs.busy !== null;
  return (
    <span className="row-actions">
      {open ? (
        <button
          onClick={() => s.openOutput(o)}
          disabled={o.cannot_open !== null}
          title={o.cannot_open ?? 'Open it in a grid'}
        >
          Open
        </button>
      ) : null}
      <button
        onClick={() => void s.downloadOutput(o, 'csv')}
        disabled={busy || o.cannot_open !== null}
      >
        CSV
      </button>
      <button
        onClick={() => void s.downloadOutput(o, 'xlsx')}
        disabled={busy || o.cannot_open !== null}
      >
        Excel
      </button>
      {canShow ? <button onClick={() => void s.showOutput(o)}>Show in folder</button> : null}
    </span>
  );
}

export function OutputsView(): React.JSX.Element {
  const s = useStore();
  const { list, opened, busy, error, saved, runId } = s.outputs;
  const runs = s.runs.list?.items ?? [];
  const { loadOutputs, loadRuns } = s;
  const active = s.runs.activeRunId;
  useEffect(() => {
    void loadOutputs();
    void loadRuns({ page: 1 });
  }, [loadOutputs, loadRuns, active]);

  const openedRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (opened) openedRef.current?.scrollIntoView({ block: 'start' });
  }, [opened]);

  const run = list?.run ?? null;
  // A report's file (its table copies are listed below with the rest).
  const reports = (list?.outputs ?? []).filter((o) => o.report && o.kind === 'csv');
  return (
    <div className="outputs-view" data-testid="outputs-view">
      <section className="card">
        <div className="toolbar">
          <h3 style={{ margin: 0 }}>Outputs</h3>
          <label>
            Run{' '}
            <select
              aria-label="Run"
              value={runId ?? ''}
              onChange={(e) => void loadOutputs(e.target.value || null)}
            >
              <option value="">each pipeline&apos;s latest</option>
              {runs.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.id} · {r.status}
                </option>
              ))}
            </select>
          </label>
          {run ? (
            <span className={`status ${run.status}`} data-testid="outputs-run-status">
              {run.status}
            </span>
          ) : null}
          <span className="spacer" />
          {run ? <ReportButtons runId={run.id} /> : null}
        </div>
        {busy ? <div className="dir">{busy}</div> : null}
        {error ? <div className="error">{error}</div> : null}
        {saved && saved !== 'opened' && saved !== 'downloaded' ? (
          <div className="dir" data-testid="saved-to">
            Saved to {saved}
          </div>
        ) : null}
        {list && !run ? (
          <p className="dir">
            No run yet. Run all (Ctrl+Enter) and every file and table the pipelines write appears
            here, with the reports.
          </p>
        ) : null}
      </section>
      {run ? (
        <section className="card" data-testid="reports-section">
          <h3>Reports</h3>
          {reports.length === 0 ? (
            <p className="dir">
              This run wrote no report output. A pipeline named report_… (or with report: true in
              its recipe) is one of the project&apos;s reports.
            </p>
          ) : null}
          <ul className="report-list">
            {reports.map((o) => (
              <li key={`${o.pipeline}/${o.output}`}>
                <button className="link" onClick={() => s.openOutput(o)}>
                  {o.description ?? o.pipeline}
                </button>{' '}
                <span className="dir">
                  {o.pipeline} · {plural(o.rows, 'row')}
                </span>
              </li>
            ))}
            <li>
              <button className="link" onClick={() => void s.download('report-csv', run.id)}>
                Pipeline summary
              </button>{' '}
              <span className="dir">
                rows in, out, rejected and removed for every pipeline of this run · CSV
              </span>
            </li>
          </ul>
        </section>
      ) : null}
      {opened ? (
        <section className="card" data-testid="output-open" ref={openedRef}>
          <div className="toolbar">
            <h3 style={{ margin: 0 }}>{opened.description ?? opened.pipeline}</h3>
            <span className="dir">{where(opened)}</span>
            <span className="spacer" />
            <OutputActions o={opened} open={false} />
            <button onClick={() => s.openOutput(null)} aria-label="Close the output">
              ✕
            </button>
          </div>
          <OutputGrid o={opened} />
        </section>
      ) : null}
      {run ? (
        <section className="card">
          <h3>Every output</h3>
          <div className="table-scroll">
            <table className="outputs-table" data-testid="outputs-table">
              <thead>
                <tr>
                  <th>Pipeline</th>
                  <th>Kind</th>
                  <th>Where</th>
                  <th className="n">Rows</th>
                  <th className="n">Size</th>
                  <th>Written</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list!.outputs.map((o) => (
                  <tr key={`${o.pipeline}/${o.output}`}>
                    <td>{o.pipeline}</td>
                    <td>{o.kind}</td>
                    <td className="dir" title={o.cannot_open ?? where(o)}>
                      {where(o)}
                    </td>
                    <td className="n">{o.rows.toLocaleString()}</td>
                    <td className="n">{size(o.bytes)}</td>
                    <td className="when">
                      {when(o.modified)}
                      {o.changed ? (
                        <div className="changed" title="What opens is the file as it is now">
                          written again since this run
                        </div>
                      ) : null}
                    </td>
                    <td>
                      <OutputActions o={o} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  );
}
