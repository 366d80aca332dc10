/**
 * The recipe's steps as a list: select, move, enable or disable, delete, add; by mouse and by
 * keyboard. The step names form one stop of the Tab order (roving focus, on the selected step):
 * Up and Down select, Home and End go to the ends, Alt+Up and Alt+Down move the step, Delete
 * removes it (Ctrl+Z brings it back) and Enter opens its form; Right and Left go along the
 * step's own buttons (move, enable or disable, delete).
 */
import { useId, useRef, useState } from 'react';
import { useStore } from '../../store';
import { addStep, moveStep, removeStep, setEnabled, stepLabel } from './recipe-doc';
import { newStep, STEP_KINDS } from './step-fields';
import { newStepContext } from './step-input';

/** Puts the keyboard in the selected step's form, once it is on screen. */
function focusForm(): void {
  requestAnimationFrame(() =>
    document
      .querySelector<HTMLElement>(
        '[data-testid=step-form] :is(input, select, textarea, button):not(:disabled)',
      )
      ?.focus(),
  );
}

export function StepList(): React.JSX.Element {
  const ed = useStore((s) => s.editor)!;
  const edit = useStore((s) => s.edit);
  const select = useStore((s) => s.selectStep);
  const [kind, setKind] = useState('trim');
  const list = useRef<HTMLOListElement>(null);
  const titleId = useId();
  const badSteps = new Set(ed.issues.filter((i) => i.path[0] === 'steps').map((i) => i.path[1]));
  const count = ed.steps.length;
  /** The step that takes Tab's focus: the selected one, else the first. */
  const stop = ed.selected ?? 0;

  /** Selects step `i` and moves the focus to it (after React has drawn the list again). */
  const go = (i: number): void => {
    select(i);
    requestAnimationFrame(() =>
      list.current?.querySelector<HTMLElement>(`[data-testid="step-${i + 1}"] .label`)?.focus(),
    );
  };
  const move = (from: number, to: number): void => {
    edit((y) => moveStep(y, from, to));
    go(to);
  };
  const remove = (i: number): void => {
    edit((y) => removeStep(y, i));
    if (count > 1) go(Math.min(i, count - 2));
  };

  /** Right and Left along a step's name and its enabled buttons. */
  const along = (e: React.KeyboardEvent<HTMLLIElement>): void => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const stops = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button:not(:disabled)')];
    const at = stops.indexOf(e.target as HTMLButtonElement);
    const next = stops[at + (e.key === 'ArrowRight' ? 1 : -1)];
    if (at < 0 || !next) return;
    e.preventDefault();
    next.focus();
  };

  const onKeyDown = (e: React.KeyboardEvent, i: number): void => {
    const to = {
      ArrowUp: i - 1,
      ArrowDown: i + 1,
      Home: 0,
      End: count - 1,
    }[e.key];
    if (to !== undefined) {
      e.preventDefault();
      if (to < 0 || to >= count || to === i) return;
      if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) move(i, to);
      else if (!e.altKey) go(to);
    } else if (e.key === 'Delete') {
      e.preventDefault();
      remove(i);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      select(i);
      focusForm();
    }
  };

  return (
    <section className="card">
      <h3 id={titleId}>Steps</h3>
      <ol className="steps" data-testid="steps" ref={list} aria-labelledby={titleId}>
        {ed.steps.map((s, i) => (
          <li
            key={i}
            className={`step ${s.enabled === false ? 'disabled' : ''} ${badSteps.has(i) ? 'invalid' : ''}`}
            aria-current={ed.selected === i ? 'step' : undefined}
            data-testid={`step-${i + 1}`}
            onKeyDown={along}
          >
            <span className="n">{i + 1}</span>
            <button
              className="label"
              tabIndex={i === stop ? 0 : -1}
              onClick={() => select(i)}
              onKeyDown={(e) => onKeyDown(e, i)}
              title={`${stepLabel(s)} (Up/Down select, Alt+Up/Down move, Delete removes, Enter edits)`}
              aria-label={`step ${i + 1}: ${stepLabel(s)}${s.enabled === false ? ' (disabled)' : ''}${badSteps.has(i) ? ' (has problems)' : ''}`}
            >
              {stepLabel(s)}
            </button>
            <span className="actions">
              <button
                title="move up"
                aria-label={`move step ${i + 1} up`}
                tabIndex={-1}
                disabled={i === 0}
                onClick={() => move(i, i - 1)}
              >
                ↑
              </button>
              <button
                title="move down"
                aria-label={`move step ${i + 1} down`}
                tabIndex={-1}
                disabled={i === count - 1}
                onClick={() => move(i, i + 1)}
              >
                ↓
              </button>
              <button
                title={s.enabled === false ? 'enable' : 'disable'}
                aria-label={`${s.enabled === false ? 'enable' : 'disable'} step ${i + 1}`}
                tabIndex={-1}
                onClick={() => edit((y) => setEnabled(y, i, s.enabled === false))}
              >
                {s.enabled === false ? '◻' : '◼'}
              </button>
              <button
                className="danger"
                title="delete (Delete)"
                aria-label={`delete step ${i + 1}`}
                tabIndex={-1}
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
