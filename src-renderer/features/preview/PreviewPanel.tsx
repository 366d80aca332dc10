/** The data just before and after the selected step: changed cells marked, dropped rows listed. */
import type { ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import { Grid, type Row } from '../../components/Grid';
import { useStore } from '../../store';
import { saveAs } from '../../store/runs-slice';
import type { Preview } from '../../store/types';

type Page = Preview['before'];

function rowsOf(page: Page): Row[] {
  return page.rows.map((r, i) => {
    const o: Row = { __line: page.lines[i] };
    page.columns.forEach((c, ci) => (o[`c${ci}`] = r[ci]));
    return o;
  });
}

function colsOf(page: Page, changed: Set<string>): ColDef<Row>[] {
  return [
    { field: '__line', headerName: 'line', width: 80, minWidth: 60, pinned: 'left' },
    ...page.columns.map((c, ci) => ({
      field: `c${ci}`,
      headerName: `${c.name} (${c.type})`,
      cellClassRules: {
        'cell-changed': (p: { data?: Row }) => changed.has(`${String(p.data?.__line)}|${c.name}`),
      },
    })),
  ];
}

function csvOf(page: Page): string {
  const cell = (v: unknown): string => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return (
    [
      ['line', ...page.columns.map((c) => c.name)].map(cell).join(','),
      ...page.rows.map((r, i) => [page.lines[i], ...r].map(cell).join(',')),
    ].join('\n') + '\n'
  );
}

export function PreviewPanel(): React.JSX.Element {
  const p = useStore((s) => s.preview);
  const name = useStore((s) => s.editor?.name);
  const request = useStore((s) => s.requestPreview);
  const r = p.result;
  const changed = useMemo(() => new Set((r?.changed ?? []).map(([l, c]) => `${l}|${c}`)), [r]);
  const counts = (r?.counts ?? {}) as Record<string, unknown>;
  const shown = ['rowsIn', 'rowsOut', 'rowsRejected', 'rowsRemoved', 'cellsChanged'];
  return (
    <section
      className="card"
      style={{ display: 'flex', flexDirection: 'column', minHeight: 420 }}
      data-testid="preview"
    >
      <div className="toolbar">
        <h3 style={{ margin: 0 }}>
          Preview
          {r
            ? ` of step ${r.step.index + 1}: ${r.step.kind}${r.step.enabled ? '' : ' (disabled)'}`
            : ''}
        </h3>
        {p.loading ? <span className="dir">computing over all rows…</span> : null}
        <span className="spacer" />
        {r ? (
          <>
            <button
              disabled={p.offset === 0}
              onClick={() => request({ offset: Math.max(0, p.offset - p.limit) })}
            >
              ‹ rows
            </button>
            <span className="dir">
              rows {p.offset + 1}–{p.offset + r.after.rows.length} of{' '}
              {r.after.total.toLocaleString()}
            </span>
            <button
              disabled={p.offset + p.limit >= r.after.total}
              onClick={() => request({ offset: p.offset + p.limit })}
            >
              rows ›
            </button>
            <button
              onClick={() =>
                saveAs(`${name}-step-${r.step.index + 1}-preview.csv`, 'text/csv', csvOf(r.after))
              }
            >
              Export page as CSV
            </button>
          </>
        ) : null}
      </div>
      {p.error ? <div className="error">{p.error}</div> : null}
      {r ? (
        <>
          <div className="counts" data-testid="counts">
            {shown.map((k) =>
              counts[k] !== undefined ? (
                <span key={k} className="count" data-testid={`count-${k}`}>
                  {k.replace(/([A-Z])/g, ' $1').toLowerCase()}:{' '}
                  <b>{Number(counts[k]).toLocaleString()}</b>
                </span>
              ) : null,
            )}
            <span className="count">
              changed cells on this page: <b data-testid="changed-on-page">{r.changed.length}</b>
            </span>
          </div>
          <div className="grids">
            <div className="grid-box">
              <h3>before</h3>
              <Grid
                testId="grid-before"
                rows={rowsOf(r.before)}
                columns={colsOf(r.before, changed)}
              />
            </div>
            <div className="grid-box">
              <h3>after</h3>
              <Grid testId="grid-after" rows={rowsOf(r.after)} columns={colsOf(r.after, changed)} />
            </div>
          </div>
          {r.dropped.length ? (
            <div className="dropped" data-testid="dropped">
              <table className="list">
                <thead>
                  <tr>
                    <th>line</th>
                    <th>what</th>
                    <th>rule</th>
                    <th>reason</th>
                  </tr>
                </thead>
                <tbody>
                  {r.dropped.map((d, i) => (
                    <tr key={i}>
                      <td>{d.line}</td>
                      <td>{d.kind}</td>
                      <td>{d.rule}</td>
                      <td>{d.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : !p.error ? (
        <div className="empty">Select a step to see the data before and after it.</div>
      ) : null}
    </section>
  );
}
