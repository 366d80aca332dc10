/**
 * A column picker: a text field that completes from the step's input columns (type shown),
 * by mouse or keyboard (arrows, Enter or Tab to pick, Escape to close), and flags a name that
 * is not among them.
 */
import { useId, useState } from 'react';
import type { Col } from '../step-input';

export interface ColumnInputProps {
  label: string;
  value: string | undefined;
  columns: Col[];
  /** The columns are known: a value not among them is flagged. */
  known: boolean;
  onChange(v: string | undefined): void;
  placeholder?: string;
  /** For adding to a list: the field empties after each pick. */
  clearOnPick?: boolean;
  /** Names that may not be picked again (already in the list). */
  exclude?: string[];
  onBackspaceEmpty?(): void;
  /** A name that need not be a column (a new column's name): never flagged. */
  free?: boolean;
}

/** Columns matching what is typed: names starting with it first, then containing it. */
export function matchColumns(columns: Col[], text: string, exclude: string[] = []): Col[] {
  const t = text.trim().toLowerCase();
  const open = columns.filter((c) => !exclude.includes(c.name));
  if (!t) return open;
  const starts = open.filter((c) => c.name.toLowerCase().startsWith(t));
  const has = open.filter((c) => !starts.includes(c) && c.name.toLowerCase().includes(t));
  return [...starts, ...has];
}

export function ColumnInput(p: ColumnInputProps): React.JSX.Element {
  const id = useId();
  const [text, setText] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const shown = text ?? p.value ?? '';
  const options = open ? matchColumns(p.columns, text ?? '', p.exclude).slice(0, 50) : [];
  const unknown =
    !p.free &&
    p.known &&
    p.value !== undefined &&
    p.value !== '' &&
    text === null &&
    !p.columns.some((c) => c.name === p.value);
  const pick = (name: string): void => {
    setOpen(false);
    setText(p.clearOnPick ? '' : null);
    p.onChange(name);
  };
  const commit = (): void => {
    setOpen(false);
    if (text === null) return;
    const t = text.trim();
    setText(p.clearOnPick ? '' : null);
    if (p.clearOnPick) {
      if (t) p.onChange(p.columns.find((c) => c.name.toLowerCase() === t.toLowerCase())?.name ?? t);
      return;
    }
    p.onChange(t === '' ? undefined : t);
  };
  return (
    <span className={`combo ${unknown ? 'unknown' : ''}`}>
      <input
        role="combobox"
        aria-label={p.label}
        aria-expanded={options.length > 0}
        aria-controls={options.length ? `${id}-list` : undefined}
        aria-autocomplete="list"
        aria-invalid={unknown || undefined}
        aria-activedescendant={options.length ? `${id}-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        value={shown}
        placeholder={p.placeholder ?? (p.columns.length ? 'type to pick a column' : 'column')}
        title={unknown ? `no column "${p.value}" here` : undefined}
        onFocus={() => {
          setOpen(true);
          setActive(0);
        }}
        onClick={() => setOpen(true)}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(a + 1, Math.max(options.length - 1, 0)));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if ((e.key === 'Enter' || e.key === 'Tab') && options.length && text) {
            if (e.key === 'Enter') e.preventDefault();
            pick(options[Math.min(active, options.length - 1)].name);
          } else if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          } else if (e.key === 'Escape') {
            if (open) e.stopPropagation();
            setOpen(false);
          } else if (e.key === 'Backspace' && shown === '' && p.onBackspaceEmpty) {
            p.onBackspaceEmpty();
          }
        }}
      />
      {options.length ? (
        <ul
          className="combo-list"
          role="listbox"
          id={`${id}-list`}
          aria-label={`${p.label} columns`}
        >
          {options.map((c, i) => (
            <li
              key={c.name}
              id={`${id}-${i}`}
              role="option"
              aria-selected={i === active}
              // mousedown, not click: the field keeps its focus until the pick is made.
              onMouseDown={(e) => {
                e.preventDefault();
                pick(c.name);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span className="name">{c.name}</span>
              <span className="type">{c.type}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {unknown ? <span className="field-issue">no column “{p.value}” here</span> : null}
    </span>
  );
}
