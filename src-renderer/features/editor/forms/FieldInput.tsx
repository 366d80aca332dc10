/**
 * The plain field of a setting that needs no column knowledge: text, number, switch, choice, a
 * list, or YAML for nested settings. (Expressions have their own editor: ExpressionField.)
 */
import { useState } from 'react';
import { parse, stringify } from 'yaml';
import type { StepField } from '../step-fields';

export function FieldInput(props: {
  field: StepField;
  value: unknown;
  onChange(v: unknown): void;
}): React.JSX.Element {
  const { field: f, value, onChange } = props;
  const [text, setText] = useState<string | null>(null);
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
          f.allowAll ? 'all, or values separated by commas' : 'values separated by commas'
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
          aria-label={label}
          value={text ?? shown}
          placeholder={f.default !== undefined ? String(f.default) : ''}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => {
            if (text === null) return;
            setText(null);
            onChange(text === '' ? undefined : text);
          }}
        />
      </>
    );
  }
  // Maps and nested settings: YAML in flow style, e.g. {v: int}.
  const shown = value === undefined ? '' : stringify(value, { collectionStyle: 'flow' }).trim();
  return (
    <>
      <input
        aria-label={label}
        value={text ?? shown}
        placeholder="YAML, e.g. {column: int}"
        onChange={(e) => setText(e.target.value)}
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
    </>
  );
}
