/** The rule editor: the steps as a list, a form for the selected one, the YAML kept in sync. */
import { CollapsedRail, HideButton, Splitter, usePane } from '../../components/Splitter';
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
  // The steps, form and YAML on the left; the preview and profile on the right. Each can be
  // folded away to give the other the whole width, and the edge between them dragged.
  const left = usePane('editor-left', 340, 240, 720);
  const right = usePane('editor-right', 0, 0, 0);
  if (!ed) return <div className="empty">Choose a pipeline on the left to edit its steps.</div>;
  const dirty = ed.yaml !== ed.saved;
  const wide = right.collapsed;
  return (
    <div className="editor">
      {left.collapsed ? (
        <CollapsedRail
          label="steps and recipe"
          arrow="»"
          onOpen={() => left.collapse(false)}
          testId="show-editor-left"
        />
      ) : (
        <div
          className="editor-left"
          data-testid="editor-left"
          style={wide ? { flex: 1 } : { width: left.size }}
        >
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
      )}
      {left.collapsed || right.collapsed ? null : (
        <div className="gutter">
          <HideButton
            label="steps and recipe"
            arrow="«"
            onHide={() => left.collapse(true)}
            testId="hide-editor-left"
          />
          <HideButton
            label="preview and profile"
            arrow="»"
            onHide={() => right.collapse(true)}
            testId="hide-editor-right"
          />
          <Splitter
            pane={left}
            label="resize the steps and recipe"
            edge="right"
            testId="editor-splitter"
          />
        </div>
      )}
      {right.collapsed ? (
        <CollapsedRail
          label="preview and profile"
          arrow="«"
          onOpen={() => right.collapse(false)}
          testId="show-editor-right"
        />
      ) : (
        <div className="editor-right" data-testid="editor-right">
          <PreviewPanel />
          <ProfilePanel />
        </div>
      )}
    </div>
  );
}
