/**
 * The recipe as YAML text, kept in sync with the list and the form, with its problems: in the
 * editor at their lines, and in one list below it, where a click shows the line and selects the
 * step. The code editor is loaded when first shown, not with the window.
 */
import { lazy, Suspense, useState } from 'react';
import { useStore } from '../../store';
import type { RecipeIssue } from './recipe-doc';
import './recipe-editor.css';

const CodeEditor = lazy(() => import('./CodeEditor'));

const KIND_LABEL: Record<RecipeIssue['kind'], string> = {
  syntax: 'syntax',
  schema: 'setting',
  semantic: 'data',
};

export function YamlView(): React.JSX.Element {
  const ed = useStore((s) => s.editor)!;
  const setYaml = useStore((s) => s.setYaml);
  const undo = useStore((s) => s.undo);
  const redo = useStore((s) => s.redo);
  const selectStep = useStore((s) => s.selectStep);
  const [reveal, setReveal] = useState<{ line: number; n: number } | null>(null);
  const show = (i: RecipeIssue): void => {
    if (i.line !== null) setReveal((r) => ({ line: i.line!, n: (r?.n ?? 0) + 1 }));
    if (i.path[0] === 'steps' && typeof i.path[1] === 'number' && i.path[1] < ed.steps.length)
      selectStep(i.path[1]);
  };
  return (
    <section className="card">
      <h3>Recipe (YAML)</h3>
      <Suspense
        fallback={
          <div className="code-editor loading" aria-busy="true">
            Loading the editor…
          </div>
        }
      >
        <CodeEditor
          value={ed.yaml}
          issues={ed.issues}
          onChange={(text) => setYaml(text, { typing: true })}
          onUndo={undo}
          onRedo={redo}
          reveal={reveal}
        />
      </Suspense>
      {ed.issues.length ? (
        <ul className="problems" data-testid="recipe-issues" aria-label="problems">
          {ed.issues.map((i, n) => (
            <li key={n}>
              <button
                type="button"
                className={`problem ${i.kind}`}
                onClick={() => show(i)}
                title={i.line ? `show line ${i.line}` : undefined}
              >
                <span className="where">{i.line ? `line ${i.line}` : 'recipe'}</span>
                <span className="kind">{KIND_LABEL[i.kind]}</span>
                <span className="what">{i.message}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {ed.unchecked && !ed.issues.length ? (
        <p className="dir" data-testid="recipe-unchecked">
          {ed.unchecked[0].toUpperCase() + ed.unchecked.slice(1)}.
        </p>
      ) : null}
    </section>
  );
}
