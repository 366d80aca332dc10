/** The rule editor: the steps as a list, a form for the selected one, the YAML kept in sync. */
import { useRef, useState } from 'react';
import { signature } from '../../../src-shared/recipe/functions';
import { parse, stringify } from 'yaml';
import { useStore } from '../../store';
import { PreviewPanel } from '../preview/PreviewPanel';
import { ProfilePanel } from '../profile/ProfilePanel';
import { applyHint, functionHints } from './function-hints';
import { addStep, moveStep, removeStep, setEnabled, editStep, stepLabel } from './recipe-doc';
import { fieldsOf, newStep, STEP_KINDS, type StepField } from './step-fields';

/** Functions matching the word before the cursor; a click puts `name(` in its place. */
function FunctionHints(props: {
  text: string;
  cursor: number | null;
  onPick(text: string, cursor: number): void;
}): React.JSX.Element | null {
  const hints = props.cursor === null ? null : functionHints(props.text, props.cursor);
  if (!hints) return null;
  return (
    <ul className="hints" data-testid="function-hints">
      {hints.functions.slice(0, 8).map((f) => (
        <li key={f.name}>
          <button
            type="button"
            // mousedown, not click: the input keeps its focus and its uncommitted text.
            onMouseDown={(e) => {
              e.preventDefault();
              const next = applyHint(props.text, hints, f);
              props.onPick(next.text, next.cursor);
            }}
          >
            <code>{signature(f)}</code>
          </button>{' '}
          {f.description}
        </li>
      ))}
    </ul>
  );
}

function FieldInput(props: {
  field: StepField;
  value: unknown;
  onChange(v: unknown): void;
  /** The field holds expressions: offer function names as they are typed. */
  expression?: boolean;
}): React.JSX.Element {
  const { field: f, value, onChange } = props;
  const [text, setText] = useState<string | null>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const track = (e: React.SyntheticEvent<HTMLInputElement>): void =>
    setCursor(e.currentTarget.selectionStart);
  const hints = (shown: string): React.JSX.Element | null =>
    props.expression ? (
      <FunctionHints
        text={text ?? shown}
        cursor={text === null ? null : cursor}
        onPick={(t, c) => {
          setText(t);
          setCursor(c);
          requestAnimationFrame(() => input.current?.setSelectionRange(c, c));
        }}
      />
    ) : null;
  const label = `${f.key}`;
  if (f.kind === 'boolean')
    return (
      <input
        aria-label={label}
        type="checkbox"
        checked={value === undefined ? f.default === true : value === true}
        onChange={(e) => onChange(e.target.checked)}
      />
    );
  if (f.kind === 'choice')
    return (
      <select
        aria-label={label}
        value={value === undefined ? '' : String(value)}
        onChange={(e) => onChange(e.target.value || undefined)}
      >
        <option value="">{f.default !== undefined ? `(default: ${String(f.default)})` : ''}</option>
        {f.options!.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    );
  if (f.kind === 'list') {
    const shown = value === 'all' ? 'all' : Array.isArray(value) ? value.join(', ') : '';
    return (
      <input
        aria-label={label}
        placeholder={
          f.allowAll ? 'all, or columns separated by commas' : 'columns separated by commas'
        }
        value={text ?? shown}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          if (text === null) return;
          const t = text.trim();
          setText(null);
          if (f.allowAll && t === 'all') return onChange('all');
          const list = t
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean);
          onChange(list.length ? list : f.required ? [] : undefined);
        }}
      />
    );
  }
  if (f.kind === 'number')
    return (
      <input
        aria-label={label}
        type="number"
        value={typeof value === 'number' ? value : ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
    );
  if (f.kind === 'text') {
    const shown = value === undefined ? '' : String(value);
    return (
      <>
        <input
          ref={input}
          aria-label={label}
          value={text ?? shown}
          placeholder={f.default !== undefined ? String(f.default) : ''}
          onChange={(e) => {
            setText(e.target.value);
            track(e);
          }}
          onSelect={track}
          onBlur={() => {
            if (text === null) return;
            setText(null);
            onChange(text === '' ? undefined : text);
          }}
        />
        {hints(shown)}
      </>
    );
  }
  // Maps and nested settings: YAML in flow style, e.g. {v: int}.
  const shown = value === undefined ? '' : stringify(value, { collectionStyle: 'flow' }).trim();
  return (
    <>
      <input
        ref={input}
        aria-label={label}
        value={text ?? shown}
        placeholder="YAML, e.g. {column: int}"
        onChange={(e) => {
          setText(e.target.value);
          track(e);
        }}
        onSelect={track}
        onBlur={() => {
          if (text === null) return;
          setText(null);
          try {
            onChange(text.trim() === '' ? undefined : parse(text));
          } catch {
            // left as it was; the YAML view shows the recipe as it is
          }
        }}
      />
      {hints(shown)}
    </>
  );
}

/** The settings written in the expression language (docs/expressions.md). */
const EXPRESSION_FIELDS = new Set(['filter.where', 'derive.columns']);

export function StepForm({ index }: { index: number }): React.JSX.Element | null {
  const step = useStore((s) => s.editor?.steps[index]);
  const issues = useStore((s) => s.editor?.issues ?? []);
  const edit = useStore((s) => s.edit);
  if (!step) return null;
  const kind = String(step.step);
  return (
    <section className="card" data-testid="step-form">
      <h3>
        Step {index + 1}: {kind}
      </h3>
      <div className="form" key={`${index}:${kind}`}>
        {fieldsOf(kind).map((f) => {
          const problem = issues.find(
            (i) => i.path[0] === 'steps' && i.path[1] === index && i.path[2] === f.key,
          );
          return (
            <FieldRow key={f.key} f={f} problem={problem?.message}>
              <FieldInput
                field={f}
                expression={EXPRESSION_FIELDS.has(`${kind}.${f.key}`)}
                value={step[f.key]}
                onChange={(v) => edit((y) => editStep(y, index, { [f.key]: v }))}
              />
            </FieldRow>
          );
        })}
      </div>
    </section>
  );
}

function FieldRow(props: {
  f: StepField;
  problem?: string;
  children: React.ReactNode;
}): React.JSX.Element {
  return (
    <>
      <label>
        {props.f.key}
        {props.f.required ? ' *' : ''}
      </label>
      {props.children}
      {props.problem ? <div className="issue">{props.problem}</div> : null}
    </>
  );
}

export function StepList(): React.JSX.Element {
  const ed = useStore((s) => s.editor)!;
  const edit = useStore((s) => s.edit);
  const select = useStore((s) => s.selectStep);
  const [kind, setKind] = useState('trim');
  const badSteps = new Set(ed.issues.filter((i) => i.path[0] === 'steps').map((i) => i.path[1]));
  return (
    <section className="card">
      <h3>Steps</h3>
      <ol className="steps" data-testid="steps">
        {ed.steps.map((s, i) => (
          <li
            key={i}
            className={`step ${s.enabled === false ? 'disabled' : ''} ${badSteps.has(i) ? 'invalid' : ''}`}
            aria-selected={ed.selected === i}
            data-testid={`step-${i + 1}`}
          >
            <span className="n">{i + 1}</span>
            <span className="label" onClick={() => select(i)} title={stepLabel(s)}>
              {stepLabel(s)}
            </span>
            <span className="actions">
              <button
                title="move up"
                aria-label={`move step ${i + 1} up`}
                disabled={i === 0}
                onClick={() => {
                  edit((y) => moveStep(y, i, i - 1));
                  select(i - 1);
                }}
              >
                ↑
              </button>
              <button
                title="move down"
                aria-label={`move step ${i + 1} down`}
                disabled={i === ed.steps.length - 1}
                onClick={() => {
                  edit((y) => moveStep(y, i, i + 1));
                  select(i + 1);
                }}
              >
                ↓
              </button>
              <button
                title={s.enabled === false ? 'enable' : 'disable'}
                aria-label={`${s.enabled === false ? 'enable' : 'disable'} step ${i + 1}`}
                onClick={() => edit((y) => setEnabled(y, i, s.enabled === false))}
              >
                {s.enabled === false ? '◻' : '◼'}
              </button>
              <button
                className="danger"
                title="delete"
                aria-label={`delete step ${i + 1}`}
                onClick={() => edit((y) => removeStep(y, i))}
              >
                ✕
              </button>
            </span>
          </li>
        ))}
      </ol>
      <div className="toolbar" style={{ marginTop: 8 }}>
        <select aria-label="new step kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          {STEP_KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
        <button
          onClick={() => {
            const at = ed.selected === null ? ed.steps.length : ed.selected + 1;
            edit((y) => addStep(y, newStep(kind), at));
            select(at);
          }}
        >
          Add step
        </button>
      </div>
    </section>
  );
}

export function YamlView(): React.JSX.Element {
  const ed = useStore((s) => s.editor)!;
  const setYaml = useStore((s) => s.setYaml);
  return (
    <section className="card">
      <h3>Recipe (YAML)</h3>
      <textarea
        className="yaml"
        aria-label="recipe yaml"
        spellCheck={false}
        value={ed.yaml}
        onChange={(e) => setYaml(e.target.value, { typing: true })}
      />
      {ed.issues.length ? (
        <ul className="issues" data-testid="recipe-issues">
          {ed.issues.map((i, n) => (
            <li key={n}>
              {i.line ? `line ${i.line}: ` : ''}
              {i.path.length ? `${i.path.join('.')}: ` : ''}
              {i.message}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

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
      </div>
      <div className="editor-right">
        <PreviewPanel />
        <ProfilePanel />
      </div>
    </div>
  );
}
