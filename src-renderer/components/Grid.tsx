/** AG Grid, set up once for the whole window: community modules, a theme that follows the system. */
import {
  AllCommunityModule,
  colorSchemeVariable,
  ModuleRegistry,
  themeQuartz,
  type ColDef,
} from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useEffect } from 'react';

ModuleRegistry.registerModules([AllCommunityModule]);
const theme = themeQuartz.withPart(colorSchemeVariable).withParams({ spacing: 5, fontSize: 13 });

/** Keeps AG Grid's colour mode in step with the system's light or dark setting. */
export function useGridColorMode(): void {
  useEffect(() => {
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = (): void =>
      document.body.setAttribute('data-ag-theme-mode', mq.matches ? 'dark' : 'light');
    apply();
    mq.addEventListener('change', apply);
    return () => mq.removeEventListener('change', apply);
  }, []);
}

export type Row = Record<string, unknown>;

export function Grid(props: {
  rows: Row[];
  columns: ColDef<Row>[];
  testId?: string;
  getRowId?: (r: Row) => string;
}): React.JSX.Element {
  return (
    <div data-testid={props.testId} style={{ flex: 1, minHeight: 0, height: '100%' }}>
      <AgGridReact<Row>
        theme={theme}
        rowData={props.rows}
        columnDefs={props.columns}
        defaultColDef={{ resizable: true, sortable: false, minWidth: 80 }}
        getRowId={props.getRowId ? (p) => props.getRowId!(p.data) : undefined}
        suppressCellFocus={false}
        animateRows={false}
      />
    </div>
  );
}
