/**
 * The data just before and after the selected step, every row of it scrollable (fetched a block
 * at a time from the preview the engine kept), changed cells marked, dropped rows with why.
 */
import type { ColDef } from 'ag-grid-community';
import type { StepCounts } from '../../../src-shared/api/contract';
import { useMemo } from 'react';
import { Grid, type Row, type RowSource } from '../../components/Grid';
import { useStore } from '../../store';
import { PREVIEW_BLOCK } from '../../store/preview-slice';
import type { Preview, PreviewRows, PreviewSide } from '../../store/types';
import { plural } from '../../components/plural';

type Columns = PreviewRows['columns'];

type Page = Pick<PreviewRows, 'rows' | 'lines' | 'changed'>;
type Value = PreviewRows['rows'][number][number];

function toRows(page: Page): Row[] {
  const changed = new Map<number, Set<string>>();
  for (const [r, c] of page.changed) {
    if (!changed.has(r)) changed.set(r, new Set());
    changed.get(r)!.add(c);
  }
  return page.rows.map((r, i) => {
    const o: Row = { __line: page.lines[i], __changed: changed.get(i) };
    r.forEach((v, ci) => (o[`c${ci}`] = v));
    return o;
  });
}

/** The first block of a side, as it came with the preview's counts. */
function firstBlock(r: Preview, side: PreviewSide): Page {
  if (side === 'before') return { ...r.before, changed: r.before_changed };
  if (side === 'after') return { ...r.after, changed: r.changed };
  return {
    rows: r.dropped.map((d) => [
      d.kind,
      d.rule,
      d.reason,
      ...r.before.columns.map((c) => (d.record[c.name] ?? null) as Value),
    ]),
    lines: r.dropped.map((d) => d.line),
    changed: [],
  };
}

function colsOf(columns: Columns): ColDef<Row>[] {
  return [
    { field: '__line', headerName: 'line', width: 90, minWidth: 60, pinned: 'left' },
    ...columns.map((c, ci) => ({
      field: `c${ci}`,
      headerName: `${c.name} (${c.type})`,
      cellClassRules: {
        'cell-changed': (p: { data?: Row }) =>
          (p.data?.__changed as Set<string> | undefined)?.has(c.name) ?? false,
      },
    })),
  ];
}

function useSource(side: PreviewSide, total: number | undefined): RowSource | undefined {
  const result = useStore((s) => s.preview.result);
  const previewRows = useStore((s) => s.previewRows);
  return useMemo(() => {
    if (!result || total === undefined) return undefined;
    const first = firstBlock(result, side);
    return {
      total,
      rows: async (o, l) =>
        o === 0 && (first.rows.length >= l || first.rows.length === total)
          ? toRows(first)
          : toRows(await previewRows(side, o, l)),
    };
    // A new result is a new preview: the grid starts again from its first rows.
  }, [result, total, side, previewRows]);
}

/** One side of the preview: its row count and its grid, fetched a block at a time. */
function SideGrid(props: {
  side: 'before' | 'after';
  page: Preview['before'];
  source: RowSource | undefined;
}): React.JSX.Element {
  const { page } = props;
  const columns = useMemo(() => colsOf(page.columns), [page.columns]);
  return (
    <div className="grid-box">
      <h3>
        {props.side} <span className="dir">{plural(page.total, 'row')}</span>
      </h3>
      <Grid
        testId={`grid-${props.side}`}
        source={props.source}
        block={PREVIEW_BLOCK}
        columns={columns}
      />
    </div>
  );
}

/** The step's counts shown above the grids. */
const SHOWN = [
  'rows_in',
  'rows_out',
  'rows_rejected',
  'rows_removed',
  'cells_changed',
] as const satisfies readonly (keyof StepCounts)[];

function Exporting(): React.JSX.Element | null {
  const x = useStore((s) => s.preview.exporting);
  const cancel = useStore((s) => s.cancelExport);
  if (!x) return null;
  return (
    <span className="dir" data-testid="exporting">
      exporting {x.side}: {x.done.toLocaleString()} of {plural(x.total, 'row')}{' '}
      <button onClick={cancel}>Cancel</button>
    </span>
  );
}

export function PreviewPanel(): React.JSX.Element {
  const p = useStore((s) => s.preview);
  const exportPreview = useStore((s) => s.exportPreview);
  const r = p.result;
  const before = useSource('before', r?.before.total);
  const after = useSource('after', r?.after.total);
  const dropped = useSource('dropped', r?.dropped_total);
  const droppedCols = useMemo<ColDef<Row>[]>(
    () =>
      r
        ? colsOf([
            { name: 'what', type: 'string' },
            { name: 'rule', type: 'string' },
            { name: 'reason', type: 'string' },
            ...r.before.columns,
          ])
        : [],
    [r],
  );
  const counts = r?.counts;
  return (
    <section
      className="card"
      style={{ display: 'flex', flexDirection: 'column', minHeight: 560 }}
      data-testid="preview"
    >
      <div className="toolbar">
        <h3 style={{ margin: 0 }}>
          Preview
          {r
            ? ` of step ${r.step.index + 1}: ${r.step.kind}${r.step.enabled ? '' : ' (disabled)'}`
            : ''}
        </h3>
        {p.loading ? (
          <span className="dir" data-testid="preview-progress">
            computing over all rows…
            {p.read ? ` ${p.read.toLocaleString()} read` : ''}
          </span>
        ) : null}
        <span className="spacer" />
        <Exporting />
        {r && !p.exporting ? (
          <>
            <button onClick={() => void exportPreview('before')}>Export before as CSV</button>
            <button onClick={() => void exportPreview('after')}>Export after as CSV</button>
          </>
        ) : null}
      </div>
      {p.error ? <div className="error">{p.error}</div> : null}
      {r ? (
        <>
          <div className="counts" data-testid="counts">
            {counts
              ? SHOWN.map((k) => (
                  <span key={k} className="count" data-testid={`count-${k}`}>
                    {k.replace(/_/g, ' ')}: <b>{counts[k].toLocaleString()}</b>
                  </span>
                ))
              : null}
          </div>
          <div className="grids">
            <SideGrid side="before" page={r.before} source={before} />
            <SideGrid side="after" page={r.after} source={after} />
          </div>
          {r.dropped_total ? (
            <div className="dropped" data-testid="dropped">
              <h3>
                rejected or removed by this step{' '}
                <span className="dir">{plural(r.dropped_total, 'row')}</span>
              </h3>
              <Grid
                testId="grid-dropped"
                source={dropped}
                block={PREVIEW_BLOCK}
                columns={droppedCols}
              />
            </div>
          ) : null}
        </>
      ) : !p.error ? (
        <div className="empty">
          Select a step to see the data before and after it. Every row can be scrolled; counts are
          over the whole file.
        </div>
      ) : null}
    </section>
  );
}
