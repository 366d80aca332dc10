/**
 * A preview's pages as grid rows: values under c0, c1…, the source line, the cells the step
 * changed, the row's twin on the other side (for scrolling both as one), and on the before side
 * whether the step dropped the row and why.
 */
import type { ColDef } from 'ag-grid-community';
import type { HeaderInfo, Row } from '../../components/Grid';
import type { Preview, PreviewRows, PreviewSide } from '../../store/types';

type Columns = PreviewRows['columns'];
export type Page = Pick<PreviewRows, 'rows' | 'lines' | 'changed'> &
  Partial<Pick<PreviewRows, 'twins' | 'dropped'>>;
type Value = PreviewRows['rows'][number][number];

/** What the step did to a dropped before row, for its tint and tooltip. */
export interface DroppedInfo {
  kind: string;
  reason: string;
}

export function toRows(page: Page): Row[] {
  const changed = new Map<number, Set<string>>();
  for (const [r, c] of page.changed) {
    if (!changed.has(r)) changed.set(r, new Set());
    changed.get(r)!.add(c);
  }
  const dropped = new Map<number, DroppedInfo>(
    (page.dropped ?? []).map((d) => [d.row, { kind: d.kind, reason: d.reason }]),
  );
  return page.rows.map((r, i) => {
    const o: Row = {
      __line: page.lines[i],
      __changed: changed.get(i),
      __twin: page.twins?.[i] ?? -1,
      __dropped: dropped.get(i),
    };
    r.forEach((v, ci) => (o[`c${ci}`] = v));
    return o;
  });
}

/** The first block of a side, as it came with the preview's counts. */
export function firstBlock(r: Preview, side: PreviewSide): Page {
  if (side === 'before')
    return { ...r.before, changed: r.before_changed, dropped: r.before_dropped };
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

const droppedOf = (data: Row | undefined): DroppedInfo | undefined =>
  data?.__dropped as DroppedInfo | undefined;

/** A dropped before row: tinted, its line cell saying why. */
export const droppedRowClass = (r: Row): string | undefined =>
  droppedOf(r) ? 'row-dropped' : undefined;

export function colsOf(columns: Columns, changedColumns: readonly string[] = []): ColDef<Row>[] {
  const changed = new Set(changedColumns);
  return [
    {
      field: '__line',
      headerName: 'line',
      width: 90,
      minWidth: 60,
      pinned: 'left',
      headerComponentParams: { name: 'line', menu: false } satisfies HeaderInfo,
      tooltipValueGetter: (p) => {
        const d = droppedOf(p.data);
        return d ? `${d.kind} by this step: ${d.reason}` : undefined;
      },
      cellClassRules: { 'line-dropped': (p) => droppedOf(p.data) !== undefined },
    },
    ...columns.map((c, ci): ColDef<Row> => ({
      field: `c${ci}`,
      colId: `c${ci}`,
      headerName: c.name,
      headerComponentParams: {
        name: c.name,
        type: c.type,
        changed: changed.has(c.name),
      } satisfies HeaderInfo,
      cellClassRules: {
        'cell-changed': (p: { data?: Row }) =>
          (p.data?.__changed as Set<string> | undefined)?.has(c.name) ?? false,
      },
    })),
  ];
}
