/**
 * An expression setting (filter's `where`, a derive column): the CodeMirror editor, loaded on
 * first use, with the expression's type or its problems in plain words under it.
 */
import { useEffect, useRef, useState } from 'react';
import type { Result } from '../../../../src-shared/api/contract';
import type { Col } from '../step-input';
import type { ExprEditor } from './expression-cm';

type Checked = Result<'pipelines.checkExpression'>;

export function ExpressionField(p: {
  label: string;
  value: string | undefined;
  columns: Col[];
  check(expression: string): Promise<Checked>;
  onChange(v: string | undefined): void;
  placeholder?: string;
}): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<ExprEditor | null>(null);
  const latest = useRef(p);
  latest.current = p;
  const [checked, setChecked] = useState<Checked | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    let gone = false;
    import('./expression-cm')
      .then((m) => {
        if (gone || !host.current) return;
        editor.current = m.createExpressionEditor(host.current, {
          label: latest.current.label,
          value: latest.current.value ?? '',
          placeholder: latest.current.placeholder,
          columns: () => latest.current.columns,
          check: async (text) => {
            try {
              const r = await latest.current.check(text);
              if (!gone) {
                setChecked(r);
                setFailed(null);
              }
              return r.errors;
            } catch (e) {
              // The recipe around it does not read yet: say so, mark nothing.
              if (!gone) setFailed(e instanceof Error ? e.message : String(e));
              return [];
            }
          },
          commit: (text) => {
            const v = latest.current.value ?? '';
            if (text !== v) latest.current.onChange(text === '' ? undefined : text);
          },
        });
      })
      .catch((e: unknown) => setFailed(`the editor did not load: ${String(e)}`));
    return () => {
      gone = true;
      editor.current?.destroy();
      editor.current = null;
    };
  }, []);

  useEffect(() => editor.current?.setValue(p.value ?? ''), [p.value]);

  return (
    <div className="expression-field">
      <div ref={host} className="expression-host" data-testid={`expression-${p.label}`} />
      <div className="expression-status" aria-live="polite">
        {failed ? (
          <span className="muted">not checked: {failed}</span>
        ) : checked?.errors.length ? (
          checked.errors.map((e, i) => (
            <span key={i} className="field-issue" data-testid="expression-error">
              {e.message}
            </span>
          ))
        ) : checked?.type ? (
          <span className="muted" data-testid="expression-type">
            gives {checked.type}
          </span>
        ) : null}
      </div>
    </div>
  );
}
