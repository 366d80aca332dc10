/**
 * The plain field of a setting that needs no column knowledge: text (with function hints where
 * it holds an expression), number, switch, choice, a list, or YAML for nested settings.
 */
import { useRef, useState } from 'react';
import { parse, stringify } from 'yaml';
import { signature } from '../../../../src-shared/recipe/functions';
import { applyHint, functionHints } from '../function-hints';
import type { StepField } from '../step-fields';

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

export function FieldInput(props: {
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
