/** The recipe's steps as a list: select, move, enable or disable, delete, add. */
import { useState } from 'react';
import { useStore } from '../../store';
import { addStep, moveStep, removeStep, setEnabled, stepLabel } from './recipe-doc';
import { newStep, STEP_KINDS } from './step-fields';
import { newStepContext } from './step-input';

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
          onClick={async () => {
            const at = ed.selected === null ? ed.steps.length : ed.selected + 1;
            // A new step starts valid, its column settings on the columns where it goes.
            await useStore.getState().freshColumns();
            edit((y) => addStep(y, newStep(kind, newStepContext(useStore.getState(), at)), at));
            select(at);
          }}
        >
          Add step
        </button>
      </div>
    </section>
  );
}
