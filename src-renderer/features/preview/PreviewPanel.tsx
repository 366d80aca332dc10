/**
 * The data just before and after the selected step, every row of it scrollable (fetched a block
 * at a time from the preview the engine kept), changed cells marked, dropped rows with why.
 */
import type { ColDef } from 'ag-grid-community';
import type { StepCounts } from '../../../src-shared/api/contract';
import { useMemo, useState } from 'react';
import type { HeaderInfo, MenuEntry } from '../../components/Grid';
import { Grid, type Row, type RowSource } from '../../components/LazyGrid';
import { FacetBar } from '../profile/FacetBar';
import { useStore } from '../../store';
import { PREVIEW_BLOCK } from '../../store/preview-slice';
import type { Preview, PreviewSide } from '../../store/types';
import { usePreviewMenu } from './column-menu';
import { colsOf, droppedRowClass, firstBlock, toRows } from './preview-rows';
import { useScrollSync, type ScrollSync } from './scroll-sync';
import { plural } from '../../components/plural';

function useSource(side: PreviewSide, total: number | undefined): RowSource | undefined {
  const result = useStore((s) => s.preview.result);
  const previewRows = useStore((s) => s.previewRows);
  const facets = useStore((s) => (side === 'dropped' ? null : s.preview.facets));
  return useMemo(() => {
    if (!result || total === undefined) return undefined;
    const first = facets?.length ? null : firstBlock(result, side);
    // Under facets the rows that match are fewer: each block says how many (the grid asks).
    const source: RowSource = {
      total,
      rows: async (o, l) => {
        if (first && o === 0 && (first.rows.length >= l || first.rows.length === total))
          return toRows(first);
        const page = await previewRows(side, o, l);
        source.total = page.total;
        return toRows(page);
      },
    };
    return source;
    // A new result or new facets: the grid starts again from its first rows.
  }, [result, total, side, previewRows, facets]);
}

/**
 * One side of the preview: its row count and its grid, fetched a block at a time; the after
 * side's headers mark the columns the step changed, the before side tints the rows it dropped.
 */
function SideGrid(props: {
  side: 'before' | 'after';
  page: Preview['before'];
  source: RowSource | undefined;
  changedColumns: readonly string[];
  menu: (col: HeaderInfo) => MenuEntry[];
  sync: ScrollSync;
}): React.JSX.Element {
  const { page, side, changedColumns } = props;
  const matching = useMatching(side);
  const columns = useMemo(
    () => colsOf(page.columns, side === 'after' ? changedColumns : []),
    [page.columns, side, changedColumns],
  );
  return (
    <div className="grid-box">
      <h3>
        {side}{' '}
        <span
          className="dir"
          data-testid={`${side}-rows`}
          title={matching === null ? undefined : `of ${plural(page.total, 'row')} in all`}
        >
          {matching === null
            ? plural(page.total, 'row')
            : `${matching === undefined ? '…' : plural(matching, 'row')} match`}
        </span>
      </h3>
      <Grid
        fit="width"
        testId={`grid-${side}`}
        source={props.source}
        block={PREVIEW_BLOCK}
        columns={columns}
        menu={props.menu}
        rowClass={side === 'before' ? droppedRowClass : undefined}
        onApi={props.sync.ready[side]}
      />
    </div>
  );
}

/** The two jumps: which side each looks on, for what, and when there can be such a row. */
const JUMPS = [
  {
    side: 'after',
    what: 'changed',
    label: 'Next changed row',
    testId: 'next-changed',
    none: 'no changed rows',
    off: 'this step changed no cell',
    title: (r: Preview) =>
      r.changed_columns.length ? 'the next row this step changed, over every row' : null,
  },
  {
    side: 'before',
    what: 'dropped',
    label: 'Next rejected row',
    testId: 'next-dropped',
    none: 'no rejected rows',
    off: 'this step rejected or removed no row',
    title: (r: Preview) =>
      r.dropped_total ? 'the next row this step rejected or removed, over every row' : null,
  },
] as const;

/**
 * "Next changed row" and "Next rejected row": the next such row over every row (the service
 * finds it), past the one the user is at, wrapping to the first; both grids go there. Under
 * facets, among the rows that pass them: the grids show no others.
 */
function RowJumps(props: { sync: ScrollSync; r: Preview }): React.JSX.Element {
  const client = useStore((s) => s.client);
  const of = useStore((s) => s.preview.of);
  const facets = useStore((s) => s.preview.facets);
  const [note, setNote] = useState<string | null>(null);
  const go = async (jump: (typeof JUMPS)[number]): Promise<void> => {
    if (!of) return;
    const { side, what } = jump;
    const find = (from: number) =>
      client.call('pipelines.previewFind', { ...of, side, what, from, facets }).then((x) => x.row);
    try {
      const here = props.sync.current(side);
      let row = await find(here + 1);
      const wrapped = row === null && here >= 0;
      if (wrapped) row = await find(0);
      if (row === null) return setNote(facets.length ? `${jump.none} match the facets` : jump.none);
      setNote(wrapped ? 'from the top again' : null);
      props.sync.jump(side, row);
    } catch (e) {
      setNote(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <>
      {JUMPS.map((jump) => {
        const title = jump.title(props.r);
        return (
          <button
            key={jump.testId}
            onClick={() => void go(jump)}
            disabled={title === null}
            title={title ?? jump.off}
            data-testid={jump.testId}
          >
            {jump.label}
          </button>
        );
      })}
      {note ? (
        <span className="dir" role="status">
          {note}
        </span>
      ) : null}
    </>
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

/**
 * Under facets, how many rows of `side` pass them (undefined until its grid's first page says);
 * null without facets.
 */
function useMatching(side: 'before' | 'after'): number | undefined | null {
  return useStore((s) => {
    const { of, facets, matching } = s.preview;
    if (!facets.length) return null;
    return matching?.of === of && matching?.facets === facets ? matching[side] : undefined;
  });
}

/** Export one side as CSV: every row, or under facets the rows that pass them (named so). */
function ExportButton(props: { side: 'before' | 'after' }): React.JSX.Element {
  const exportPreview = useStore((s) => s.exportPreview);
  const matching = useMatching(props.side);
  const { side } = props;
  const label =
    matching === null
      ? `Export ${side} as CSV`
      : `Export ${matching === undefined ? '' : `${matching.toLocaleString()} `}matching ${side} rows as CSV`;
  return (
    <button
      onClick={() => void exportPreview(side)}
      title={
        matching === null ? `every row ${side} this step` : 'only the rows the facets let through'
      }
    >
      {label}
    </button>
  );
}

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

const NO_COLUMNS: Preview['after']['columns'] = [];

export function PreviewPanel(): React.JSX.Element {
  const p = useStore((s) => s.preview);
  const r = p.result;
  const before = useSource('before', r?.before.total);
  const after = useSource('after', r?.after.total);
  const dropped = useSource('dropped', r?.dropped_total);
  const sync = useScrollSync();
  const menu = usePreviewMenu(r?.after.columns ?? NO_COLUMNS);
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
      style={{ display: 'flex', flexDirection: 'column', minHeight: 560, flexShrink: 0 }}
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
            <ExportButton side="before" />
            <ExportButton side="after" />
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
            <span className="spacer" />
            <RowJumps sync={sync} r={r} />
          </div>
          <FacetBar />
          <div className="grids">
            <SideGrid
              side="before"
              page={r.before}
              source={before}
              changedColumns={r.changed_columns}
              menu={menu}
              sync={sync}
            />
            <SideGrid
              side="after"
              page={r.after}
              source={after}
              changedColumns={r.changed_columns}
              menu={menu}
              sync={sync}
            />
          </div>
          {r.dropped_total ? (
            <div className="dropped" data-testid="dropped">
              <h3>
                rejected or removed by this step{' '}
                <span className="dir">{plural(r.dropped_total, 'row')}</span>
              </h3>
              <Grid
                fit="width"
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
