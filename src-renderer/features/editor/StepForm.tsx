/**
 * The form for the selected step: one field per setting, read from the step's schema, with
 * editors that know the step's input columns: column pickers and chips, expression editors,
 * and structured editors for rules, joins, aggregations, sort keys and window functions.
 */
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../store';
import { editStep } from './recipe-doc';
import { fieldsOf, type StepField } from './step-fields';
import { stepInput } from './step-input';
import { isWide, SettingEditor } from './forms/SettingEditor';
import './forms/forms.css';

export function StepForm({ index }: { index: number }): React.JSX.Element | null {
  const step = useStore((s) => s.editor?.steps[index]);
  const issues = useStore((s) => s.editor?.issues ?? []);
  const yaml = useStore((s) => s.editor?.yaml);
  const edit = useStore((s) => s.edit);
  const loadColumns = useStore((s) => s.loadColumns);
  // Shallow: the columns array itself only changes when the columns do.
  const input = useStore(useShallow((s) => stepInput(s, index)));
  // The columns follow the recipe as it is edited (asked once per text, debounced).
  useEffect(() => loadColumns(), [yaml, loadColumns]);
  if (!step) return null;
  const kind = String(step.step);
  // A join's other side and keys come first, in one editor (`on` is edited with `with`).
  const fields = fieldsOf(kind)
    .filter((f) => !(kind === 'join' && f.key === 'on'))
    .sort(
      (x, y) =>
        Number(y.key === 'with' && kind === 'join') - Number(x.key === 'with' && kind === 'join'),
    );
  return (
    <section className="card" data-testid="step-form">
      <h3>
        Step {index + 1}: {kind}
        {input.known ? (
          <span className="muted input-count"> · {input.columns.length} columns in</span>
        ) : null}
      </h3>
      {input.problem ? (
        <div className="field-issue step-problem" data-testid="step-problem">
          {input.problem}
        </div>
      ) : null}
      <div className="form" key={`${index}:${kind}`}>
        {fields.map((f) => {
          const problem = issues.find(
            (i) =>
              i.path[0] === 'steps' &&
              i.path[1] === index &&
              (i.path[2] === f.key || (kind === 'join' && f.key === 'with' && i.path[2] === 'on')),
          );
          return (
            <FieldRow key={f.key} f={f} problem={problem?.message} wide={isWide(kind, f.key)}>
              <SettingEditor
                kind={kind}
                field={f}
                index={index}
                step={step}
                input={input}
                onChange={(patch) => edit((y) => editStep(y, index, patch))}
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
  /** Label above, editor across the whole form. */
  wide?: boolean;
  children: React.ReactNode;
}): React.JSX.Element {
  const wide = props.wide ? 'wide' : '';
  return (
    <>
      <label className={wide}>
        {props.f.key === 'with' ? 'with / on' : props.f.key}
        {props.f.required ? ' *' : ''}
      </label>
      <div className={`field ${wide}`}>{props.children}</div>
      {props.problem ? <div className={`issue ${wide}`}>{props.problem}</div> : null}
    </>
  );
}
