/** The window: project bar and views (pipelines, editor, graph, runs), import, shortcuts. */
import { useEffect, useRef } from 'react';
import { useGridColorMode } from './components/Grid';
import { EditorView } from './features/editor/EditorView';
import { GraphView } from './features/graph/GraphView';
import { DropZone, ImportDialog } from './features/import/ImportPanel';
import { PipelineSidebar, PipelinesView } from './features/projects/PipelineList';
import { RunsView } from './features/runs/RunsView';
import { useStore } from './store';
import type { View } from './store/types';

const TABS: [View, string, string][] = [
  ['pipelines', 'Pipelines', 'Alt+1'],
  ['editor', 'Editor', 'Alt+2'],
  ['graph', 'Graph', 'Alt+3'],
  ['runs', 'Runs', 'Alt+4'],
];

function useShortcuts(pick: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const s = useStore.getState();
      const inText =
        e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void s.save();
      } else if (mod && e.key.toLowerCase() === 'z' && !inText) {
        e.preventDefault();
        if (e.shiftKey) s.redo();
        else s.undo();
      } else if (mod && e.key.toLowerCase() === 'y' && !inText) {
        e.preventDefault();
        s.redo();
      } else if (mod && e.key === 'Enter') {
        e.preventDefault();
        void s.startRun();
        s.setView('runs');
      } else if (mod && e.key.toLowerCase() === 'o') {
        e.preventDefault();
        pick();
      } else if (e.altKey && /^[1-4]$/.test(e.key)) {
        s.setView(TABS[Number(e.key) - 1][0]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pick]);
}

export function App(): React.JSX.Element {
  const s = useStore();
  const picker = useRef<HTMLInputElement>(null);
  useGridColorMode();
  useShortcuts(() => picker.current?.click());
  const { loadProject, client, onEvent } = s;
  useEffect(() => {
    void loadProject();
    return client.subscribe(onEvent);
  }, [loadProject, client, onEvent]);
  // Unsaved recipe text is kept as a draft, but say so before the window goes.
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent): void => {
      const ed = useStore.getState().editor;
      if (ed && ed.yaml !== ed.saved) e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  const active = s.runs.activeRunId;
  return (
    <div className="app">
      <header className="topbar">
        <h1>Sluice</h1>
        {s.project ? (
          <span>
            <b data-testid="project-name">{s.project.name}</b>{' '}
            <span className="dir">{s.project.dir}</span>
          </span>
        ) : null}
        <div className="tabs" role="tablist">
          {TABS.map(([v, label, key]) => (
            <button
              key={v}
              role="tab"
              aria-selected={s.view === v}
              onClick={() => s.setView(v)}
              title={key}
            >
              {label}
            </button>
          ))}
        </div>
        <span className="spacer" />
        {active ? (
          <span className="dir" data-testid="active-run">
            running {active}
          </span>
        ) : null}
        <button onClick={() => picker.current?.click()} title="Ctrl+O">
          Import CSV…
        </button>
        <button
          className="primary"
          onClick={() => {
            void s.startRun();
            s.setView('runs');
          }}
          title="Ctrl+Enter"
        >
          Run all
        </button>
        <input
          ref={picker}
          type="file"
          accept=".csv,.tsv,.txt"
          multiple
          hidden
          data-testid="file-picker"
          onChange={(e) => {
            void s.importFiles([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
      </header>
      {s.projectError ? <div className="error">{s.projectError}</div> : null}
      <div className="body">
        <PipelineSidebar />
        <main className="main">
          {s.view === 'pipelines' ? <PipelinesView /> : null}
          {s.view === 'editor' ? <EditorView /> : null}
          {s.view === 'graph' ? <GraphView /> : null}
          {s.view === 'runs' ? <RunsView /> : null}
        </main>
      </div>
      <DropZone />
      <ImportDialog />
    </div>
  );
}
