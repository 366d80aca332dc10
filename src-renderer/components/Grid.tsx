/**
 * AG Grid, set up once for the whole window: community modules, a theme whose colour mode the
 * window's appearance sets (features/shell/appearance).
 */
import {
  AllCommunityModule,
  colorSchemeVariable,
  ModuleRegistry,
  themeQuartz,
  type ColDef,
  type GridApi,
  type IDatasource,
} from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useEffect, useMemo, useRef } from 'react';
import { ColumnHeader, type GridMenuContext } from './ColumnHeader';
import './grid.css';

ModuleRegistry.registerModules([AllCommunityModule]);
const theme = themeQuartz.withPart(colorSchemeVariable).withParams({ spacing: 5, fontSize: 13 });

export type Row = Record<string, unknown>;

/** The widest a column is made to fit its content. */
const MAX_AUTO_WIDTH = 360;

/** Rows fetched a block at a time as the grid scrolls, for tables too big to hold. */
export interface RowSource {
  total: number;
  /** `sort`: the column a header click sorted by (when the source is `sortable`). */
  rows(offset: number, limit: number, sort?: { column: string; desc: boolean }): Promise<Row[]>;
  /** The rows can be fetched in any column's order: headers sort by a click. */
  sortable?: boolean;
}

export type { HeaderInfo } from './ColumnHeader';
export type { MenuEntry } from './ColumnMenu';

/**
 * Every column's header has a menu (▾, right-click, Alt+↓): sorting when the source can, and
 * the entries `menu` adds. A column's ColDef may give `headerComponentParams: HeaderInfo` (its
 * own name, type, whether the previewed step changed it).
 */
export function Grid(props: {
  /** Rows per block a `source` is asked for. */
  block?: number;
  rows?: Row[];
  /** Instead of `rows`: rows fetched as they scroll into view. */
  source?: RowSource;
  columns: ColDef<Row>[];
  testId?: string;
  getRowId?: (r: Row) => string;
  /** Entries a column's header menu adds after sorting. */
  menu?: GridMenuContext['menu'];
  /** A CSS class for a row (a dropped row tinted, say). */
  rowClass?: (r: Row) => string | undefined;
  /** The grid's API once it is ready (to scroll it, hear it scroll). */
  onApi?: (api: GridApi<Row>) => void;
  /**
   * `content` (the default): columns as wide as what they hold; `width`: the columns share the
   * grid's width, as the preview's side-by-side grids want (their headers stay in reach).
   */
  fit?: 'content' | 'width';
}): React.JSX.Element {
  const { source, menu, rowClass } = props;
  // One context object for the grid's life (AG Grid reads it once); the menu is read on opening.
  const context = useRef<GridMenuContext>({}).current;
  context.menu = menu;
  const datasource = useMemo<IDatasource | undefined>(
    () =>
      source && {
        rowCount: source.total,
        getRows: (p) => {
          const by = p.sortModel[0];
          const sort = by ? { column: by.colId, desc: by.sort === 'desc' } : undefined;
          source.rows(p.startRow, p.endRow - p.startRow, sort).then(
            (rows) => p.successCallback(rows, source.total),
            () => p.failCallback(),
          );
        },
      },
    [source],
  );
  const api = useRef<GridApi<Row> | null>(null);
  // Other rows (another step's preview) start from the top, with no cell focused: the old
  // scroll offset and focus mean nothing in them, and kept, AG Grid could scroll back to them
  // as the new rows load, away from where the user has scrolled since.
  useEffect(() => {
    const a = api.current;
    if (!a || !datasource) return;
    a.clearFocusedCell();
    a.ensureIndexVisible(0, 'top');
  }, [datasource]);
  return (
    <div data-testid={props.testId} style={{ flex: 1, minHeight: 0, height: '100%' }}>
      <AgGridReact<Row>
        theme={theme}
        {...(datasource
          ? {
              rowModelType: 'infinite' as const,
              datasource,
              cacheBlockSize: props.block ?? 100,
              maxBlocksInCache: 50,
              // Dragging the scrollbar far asks only for the blocks where it stops.
              blockLoadDebounceMillis: 40,
            }
          : { rowData: props.rows ?? [] })}
        columnDefs={props.columns}
        context={context}
        onGridReady={(e) => {
          api.current = e.api;
          props.onApi?.(e.api);
        }}
        getRowClass={rowClass ? (p) => (p.data ? rowClass(p.data) : undefined) : undefined}
        defaultColDef={{
          headerComponent: ColumnHeader,
          resizable: true,
          sortable: source?.sortable === true,
          ...(props.fit === 'width' ? { minWidth: 110, flex: 1 } : { minWidth: 60 }),
        }}
        // Columns as wide as their header and the rows first shown (a long text stops at
        // MAX_AUTO_WIDTH; drag it wider), not all equal.
        onFirstDataRendered={(e) => {
          if (props.fit === 'width') return;
          e.api.autoSizeAllColumns();
          const wide = e.api
            .getColumns()
            ?.filter((c) => c.getActualWidth() > MAX_AUTO_WIDTH)
            .map((c) => ({ key: c.getColId(), newWidth: MAX_AUTO_WIDTH }));
          if (wide?.length) e.api.setColumnWidths(wide);
        }}
        getRowId={props.getRowId ? (p) => props.getRowId!(p.data) : undefined}
        suppressCellFocus={false}
        animateRows={false}
      />
    </div>
  );
}
