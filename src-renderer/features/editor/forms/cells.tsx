/** Small inputs the structured editors share: text committed on leaving, a choice, a row list. */
import { useState } from 'react';

/** A text field that writes its value when left or on Enter (one undo step per edit). */
export function TextCell(p: {
  label: string;
  value: string | undefined;
  onChange(v: string | undefined): void;
  placeholder?: string;
  type?: 'text' | 'number';
}): React.JSX.Element {
  const [text, setText] = useState<string | null>(null);
  const commit = (): void => {
    if (text === null) return;
    setText(null);
    if (text !== (p.value ?? '')) p.onChange(text === '' ? undefined : text);
  };
  return (
    <input
      aria-label={p.label}
      type={p.type ?? 'text'}
      value={text ?? p.value ?? ''}
      placeholder={p.placeholder}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}

export function Choice<T extends string>(p: {
  label: string;
  value: T | undefined;
  options: readonly T[];
  onChange(v: T): void;
  /** Shown for no value: what the default is. */
  empty?: string;
}): React.JSX.Element {
  return (
    <select
      aria-label={p.label}
      value={p.value ?? ''}
      onChange={(e) => p.onChange(e.target.value as T)}
    >
      {p.value === undefined ? <option value="">{p.empty ?? ''}</option> : null}
      {p.options.map((o) => (
        <option key={o}>{o}</option>
      ))}
    </select>
  );
}

/**
 * A list of rows with a remove button each and an add button: `render` draws one row's cells,
 * `make` a new row.
 */
export function Rows<T>(p: {
  label: string;
  rows: T[];
  render(row: T, set: (r: T) => void, i: number): React.ReactNode;
  make(): T;
  onChange(rows: T[]): void;
  /** At least one row stays (the schema needs one). */
  min?: number;
  addLabel?: string;
}): React.JSX.Element {
  return (
    <div className="rows" role="group" aria-label={p.label}>
      {p.rows.map((r, i) => (
        <div className="row" key={i} data-testid={`${p.label}-row`}>
          {p.render(r, (next) => p.onChange(p.rows.map((x, k) => (k === i ? next : x))), i)}
          <button
            type="button"
            className="remove"
            aria-label={`remove ${p.label} row ${i + 1}`}
            disabled={p.rows.length <= (p.min ?? 0)}
            onClick={() => p.onChange(p.rows.filter((_, k) => k !== i))}
          >
            ✕
          </button>
        </div>
      ))}
      <button type="button" className="add" onClick={() => p.onChange([...p.rows, p.make()])}>
        + {p.addLabel ?? 'Add'}
      </button>
    </div>
  );
}
