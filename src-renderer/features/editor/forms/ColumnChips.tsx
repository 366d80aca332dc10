/**
 * A list of columns as chips: add by typing (completed from the step's input columns), remove
 * with the chip's ✕ or Backspace in the empty field; a chip that names no input column is
 * flagged. `allowAll` adds the "every text column" choice some steps default to.
 */
import type { Col } from '../step-input';
import { ColumnInput } from './ColumnInput';

export function ColumnChips(p: {
  label: string;
  value: unknown;
  columns: Col[];
  known: boolean;
  allowAll?: boolean;
  /** What leaving it empty means (the field's default), said in the empty field. */
  emptyMeans?: string;
  onChange(v: string[] | 'all' | undefined): void;
}): React.JSX.Element {
  const all = p.value === 'all' || (p.allowAll && p.value === undefined);
  const list = Array.isArray(p.value) ? (p.value as unknown[]).map(String) : [];
  const set = (next: string[]): void => p.onChange(next.length ? next : undefined);
  return (
    <div className="column-chips" role="group" aria-label={p.label}>
      {p.allowAll ? (
        <label className="all">
          <input
            type="checkbox"
            aria-label={`${p.label}: every text column`}
            checked={all}
            onChange={(e) => {
              // "all" means every text column: a list starts from the first of them.
              const first = p.columns.find((c) => c.type === 'string') ?? p.columns[0];
              p.onChange(e.target.checked ? undefined : first ? [first.name] : undefined);
            }}
          />{' '}
          every text column
        </label>
      ) : null}
      {all ? null : (
        <>
          {list.map((c, i) => {
            const unknown = p.known && !p.columns.some((x) => x.name === c);
            return (
              <span
                key={`${c}:${i}`}
                className={`chip ${unknown ? 'unknown' : ''}`}
                title={
                  unknown
                    ? `no column "${c}" here`
                    : (p.columns.find((x) => x.name === c)?.type ?? '')
                }
                data-testid="column-chip"
              >
                {c}
                <button
                  type="button"
                  aria-label={`remove ${c}`}
                  onClick={() => set(list.filter((_, k) => k !== i))}
                >
                  ✕
                </button>
              </span>
            );
          })}
          <ColumnInput
            label={p.label}
            value=""
            columns={p.columns}
            known={false}
            clearOnPick
            exclude={list}
            placeholder={list.length ? 'add a column' : (p.emptyMeans ?? 'add a column')}
            onChange={(v) => {
              if (v && !list.includes(v)) set([...list, v]);
            }}
            onBackspaceEmpty={() => list.length && set(list.slice(0, -1))}
          />
          {list.some((c) => p.known && !p.columns.some((x) => x.name === c)) ? (
            <span className="field-issue">
              not a column here:{' '}
              {list.filter((c) => !p.columns.some((x) => x.name === c)).join(', ')}
            </span>
          ) : null}
        </>
      )}
    </div>
  );
}
