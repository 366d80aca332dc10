/**
 * The window: project bar and views (pipelines, editor, graph, runs, outputs), import, shortcuts, and the
 * desktop shell's commands, appearance and title.
 */
import { useCallback, useEffect, useRef } from 'react';
import { VERSION } from '../src-shared/version';
import { ConnectionsButton, ConnectionsDialog } from './features/connections/ConnectionsDialog';
import { RunOptions } from './features/connections/RunOptions';
import { DropZone, ImportDialog } from './features/import/ImportPanel';
import { PipelineSidebar, PipelinesView } from './features/projects/PipelineList';
import { ProjectDialog } from './features/projects/ProjectDialog';
import { runCommand } from './features/shell/app-commands';
import { AppearanceSelect } from './features/shell/AppearanceSelect';
import { viewPanel, ViewTabs } from './features/shell/ViewTabs';
import { useAppearance, useUnloadGuard, useWindowTitle } from './features/shell/window-state';
import { ShortcutsDialog, useShortcuts } from './features/shortcuts/shortcuts';
import { EditorView, GraphView, OutputsView, RunsView } from './lazy-views';
import { useStore } from './store';

function TopBar({ pickFiles }: { pickFiles: () => void }): React.JSX.Element {
  const project = useStore((s) => s.project);
  const active = useStore((s) => s.runs.activeRunId);
  const showProjects = useStore((s) => s.showProjects);
  const showShortcuts = useStore((s) => s.showShortcuts);
  return (
    <header className="topbar">
      <h1 title={`Sluice ${VERSION}`}>Sluice</h1>
      <button
        className="project-button"
        aria-haspopup="dialog"
        onClick={() => void showProjects(true)}
        title={`${project?.dir ?? ''}\nOpen another project (Ctrl+Shift+O)`}
      >
        <b data-testid="project-name">{project?.name ?? 'No project'}</b>{' '}
        <span className="dir">{project?.dir}</span> ▾
      </button>
      <ViewTabs />
      <span className="spacer" />
      {active ? (
        <span className="dir running-label" data-testid="active-run" title={`running ${active}`}>
          running…
        </span>
      ) : null}
      {/* Narrow windows keep the icon; the label returns in the tooltip and the accessible name. */}
      <button onClick={pickFiles} title="Import CSV files (Ctrl+O)" aria-label="Import CSV…">
        <span aria-hidden="true">⤒</span>
        <span className="label"> Import CSV…</span>
      </button>
      <ConnectionsButton />
      <button
        className="primary"
        onClick={() => runCommand({ type: 'app.command', command: 'run-all' }, useStore.getState())}
        title="Ctrl+Enter"
      >
        Run all
      </button>
      <RunOptions />
      <AppearanceSelect />
      <button
        onClick={() => showShortcuts(true)}
        aria-label="keyboard shortcuts"
        aria-haspopup="dialog"
        title="?"
      >
        ?
      </button>
    </header>
  );
}

export function App(): React.JSX.Element {
  const view = useStore((s) => s.view);
  const projectError = useStore((s) => s.projectError);
  const importFiles = useStore((s) => s.importFiles);
  const loadProject = useStore((s) => s.loadProject);
  const client = useStore((s) => s.client);
  const onEvent = useStore((s) => s.onEvent);
  const picker = useRef<HTMLInputElement>(null);
  const pickFiles = useCallback(() => picker.current?.click(), []);
  useAppearance();
  useWindowTitle();
  useUnloadGuard();
  useShortcuts(pickFiles);
  useEffect(() => {
    void loadProject();
    // The desktop shell's commands come on the events' channel: one subscription for both.
    return client.subscribe(onEvent, (c) => runCommand(c, useStore.getState()));
  }, [loadProject, client, onEvent]);

  return (
    <div className="app">
      <TopBar pickFiles={pickFiles} />
      <input
        ref={picker}
        type="file"
        accept=".csv,.tsv,.txt"
        multiple
        hidden
        data-testid="file-picker"
        onChange={(e) => {
          void importFiles([...(e.target.files ?? [])]);
          e.target.value = '';
        }}
      />
      {projectError ? <div className="error">{projectError}</div> : null}
      <div className="body">
        <PipelineSidebar />
        <main className="main" {...viewPanel(view)}>
          {view === 'pipelines' ? <PipelinesView /> : null}
          {view === 'editor' ? <EditorView /> : null}
          {view === 'graph' ? <GraphView /> : null}
          {view === 'runs' ? <RunsView /> : null}
          {view === 'outputs' ? <OutputsView /> : null}
        </main>
      </div>
      <DropZone />
      <ImportDialog />
      <ProjectDialog />
      <ShortcutsDialog />
      <ConnectionsDialog />
    </div>
  );
}
