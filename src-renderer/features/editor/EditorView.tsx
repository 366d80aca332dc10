/** The rule editor: the steps as a list, a form for the selected one, the YAML kept in sync. */
import { useStore } from '../../store';
import { PreviewPanel } from '../preview/PreviewPanel';
import { ProfilePanel } from '../profile/ProfilePanel';
import { HistoryPanel } from './HistoryPanel';
import { StepForm } from './StepForm';
import { StepList } from './StepList';
import { YamlView } from './YamlView';

export function EditorView(): React.JSX.Element {
  const ed = useStore((s) => s.editor);
  const undo = useStore((s) => s.undo);
  const redo = useStore((s) => s.redo);
  const save = useStore((s) => s.save);
  if (!ed) return <div className="empty">Choose a pipeline on the left to edit its steps.</div>;
  const dirty = ed.yaml !== ed.saved;
  return (
    <div className="editor">
      <div className="editor-left">
        <div className="toolbar">
          <b>{ed.name}</b>
          {dirty ? (
            <span className="dir" data-testid="unsaved">
              unsaved
            </span>
          ) : (
            <span className="dir">saved</span>
          )}
          <span className="spacer" />
          <button onClick={undo} disabled={!ed.past.length} title="Ctrl+Z">
            Undo
          </button>
          <button onClick={redo} disabled={!ed.future.length} title="Ctrl+Shift+Z">
            Redo
          </button>
          <button
            className="primary"
            onClick={() => void save()}
            disabled={!dirty || ed.saving}
            title="Ctrl+S"
          >
            Save
          </button>
        </div>
        {ed.error ? <div className="error">{ed.error}</div> : null}
        <StepList />
        {ed.selected !== null ? <StepForm index={ed.selected} /> : null}
        <YamlView />
        <HistoryPanel />
      </div>
      <div className="editor-right">
        <PreviewPanel />
        <ProfilePanel />
      </div>
    </div>
  );
}
