/**
 * The views behind the tabs, each fetched when first shown: the pipeline list needs none of
 * them, and the editor, graph and outputs bring the grid, React Flow and CodeMirror with them.
 */
import { lazy, Suspense } from 'react';

/**
 * The editor and the outputs show a grid at once: its code is asked for with theirs, not after
 * they have drawn (components/LazyGrid.tsx then finds it loaded or on its way).
 */
const withGrid = <T,>(view: Promise<T>): Promise<T> => {
  void import('./components/Grid');
  return view;
};

const loaders = {
  editor: () =>
    withGrid(import('./features/editor/EditorView')).then((m) => ({ default: m.EditorView })),
  graph: () => import('./features/graph/GraphView').then((m) => ({ default: m.GraphView })),
  runs: () => import('./features/runs/RunsView').then((m) => ({ default: m.RunsView })),
  outputs: () =>
    withGrid(import('./features/outputs/OutputsView')).then((m) => ({ default: m.OutputsView })),
};

const Editor = lazy(loaders.editor);
const Graph = lazy(loaders.graph);
const Runs = lazy(loaders.runs);
const Outputs = lazy(loaders.outputs);

/** A quiet stand-in: an empty pane, so nothing flashes while a view's code arrives. */
const wait = <div className="view-loading" aria-busy="true" />;

export const EditorView = (): React.JSX.Element => (
  <Suspense fallback={wait}>
    <Editor />
  </Suspense>
);
export const GraphView = (): React.JSX.Element => (
  <Suspense fallback={wait}>
    <Graph />
  </Suspense>
);
export const RunsView = (): React.JSX.Element => (
  <Suspense fallback={wait}>
    <Runs />
  </Suspense>
);
export const OutputsView = (): React.JSX.Element => (
  <Suspense fallback={wait}>
    <Outputs />
  </Suspense>
);
