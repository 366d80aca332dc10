/**
 * The grid as the window's views use it: AG Grid (about half the renderer's JavaScript) is
 * fetched the first time a grid is shown, not with the pipeline list. The props and row types
 * are Grid's own; only its code waits.
 */
import { lazy, Suspense, type ComponentProps } from 'react';
import type { Grid as EagerGrid } from './Grid';

export type { Row, RowSource } from './Grid';

const Loaded = lazy(() => import('./Grid').then((m) => ({ default: m.Grid })));

/** Grid, loaded on first use; an empty box of the grid's size stands in meanwhile. */
export function Grid(props: ComponentProps<typeof EagerGrid>): React.JSX.Element {
  return (
    <Suspense
      fallback={<div className="grid-loading" style={{ flex: 1, minHeight: 0, height: '100%' }} />}
    >
      <Loaded {...props} />
    </Suspense>
  );
}
