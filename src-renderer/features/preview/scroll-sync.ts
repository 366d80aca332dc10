/**
 * The before and after grids scroll as one, row for row: the top row of the grid being scrolled
 * is matched to its twin on the other side (the same source row), so a step that drops rows does
 * not make the two drift apart. AG Grid's alignedGrids only aligns columns, so this follows the
 * grids' bodyScroll events; a scroll we caused is recognised and not echoed back.
 */
import type { GridApi } from 'ag-grid-community';
import { useCallback, useMemo, useRef } from 'react';
import type { Row } from '../../components/Grid';

type Side = 'before' | 'after';
const other = (s: Side): Side => (s === 'before' ? 'after' : 'before');

export interface ScrollSync {
  /** Hands a side's grid API over once the grid is ready. */
  ready: Record<Side, (api: GridApi<Row>) => void>;
  /** Scrolls `side` so row `row` is at the top (the other side follows) and focuses it. */
  jump(side: Side, row: number): void;
  /** The row of `side` the user is at: its focused row when in view, else the one above the top. */
  current(side: Side): number;
}

/** The scrolling viewport of a side's grid (AG Grid has no API to set a pixel offset). */
const viewport = (side: Side): HTMLElement | null =>
  document.querySelector<HTMLElement>(`[data-testid="grid-${side}"] .ag-grid-viewport`);

export function useScrollSync(): ScrollSync {
  const apis = useRef<Partial<Record<Side, GridApi<Row>>>>({});
  /** The scrollTop we set on a side: its next scroll event to there is ours, not the user's. */
  const expected = useRef<Partial<Record<Side, number>>>({});
  /** The side the user scrolled last: when its rows arrive, the other is aligned again. */
  const leader = useRef<Side>('after');

  const follow = useCallback((from: Side) => {
    const a = apis.current[from];
    const b = apis.current[other(from)];
    const va = viewport(from);
    const vb = viewport(other(from));
    if (!a || !b || !va || !vb) return;
    const rowHeight = a.getSizesForCurrentTheme().rowHeight;
    const top = va.scrollTop;
    const first = Math.floor(top / rowHeight);
    const last = a.getLastDisplayedRowIndex();
    // The first row on screen with a twin (a dropped row has none) goes to the other's top.
    let target = first;
    let at = first;
    for (let i = first; i <= Math.max(first, last); i++) {
      const twin = a.getDisplayedRowAtIndex(i)?.data?.__twin as number | undefined;
      if (twin === undefined) break; // not loaded yet: row for row until it is
      if (twin >= 0) {
        target = twin;
        at = i;
        break;
      }
    }
    // At the top, both sides show their first rows (a dropped first row has no twin to match).
    // How far the top row is scrolled past, kept when that row itself has a twin.
    const within = at === first ? top - first * rowHeight : 0;
    const want = top === 0 ? 0 : Math.max(0, target * rowHeight + within);
    if (Math.abs(vb.scrollTop - want) < 1) return;
    expected.current[other(from)] = want;
    vb.scrollTop = want;
  }, []);

  const ready = useMemo<ScrollSync['ready']>(() => {
    const make =
      (side: Side) =>
      (api: GridApi<Row>): void => {
        apis.current[side] = api;
        api.addEventListener('bodyScroll', (e) => {
          if (e.direction !== 'vertical') return;
          const mine = expected.current[side];
          if (mine !== undefined && Math.abs(e.top - mine) < 2) {
            expected.current[side] = undefined;
            return;
          }
          expected.current[side] = undefined;
          leader.current = side;
          follow(side);
        });
        // Rows of the leader arrived: their twins now say where the other side should be.
        api.addEventListener('modelUpdated', () => {
          if (leader.current === side) follow(side);
        });
      };
    return { before: make('before'), after: make('after') };
  }, [follow]);

  const jump = useCallback(
    (side: Side, row: number) => {
      const api = apis.current[side];
      if (!api) return;
      leader.current = side;
      api.ensureIndexVisible(row, 'top');
      // The pinned line column: focusing it never scrolls the grid sideways.
      const col = api.getAllDisplayedColumns()[0];
      if (col) api.setFocusedCell(row, col);
      follow(side);
    },
    [follow],
  );

  const current = useCallback((side: Side) => {
    const api = apis.current[side];
    const vp = viewport(side);
    if (!api || !vp) return -1;
    // AG Grid's "first displayed" row counts the buffer drawn above the view: measure instead.
    const h = api.getSizesForCurrentTheme().rowHeight;
    const top = Math.floor(vp.scrollTop / h);
    const bottom = top + Math.floor(vp.clientHeight / h);
    const focused = api.getFocusedCell()?.rowIndex;
    return focused !== undefined && focused >= top - 1 && focused <= bottom ? focused : top - 1;
  }, []);

  return { ready, jump, current };
}
