/** sort's `by` and window's `order_by`: one row per key, column and order. */
import type { Col } from '../step-input';
import { Choice, Rows } from './cells';
import { ColumnInput } from './ColumnInput';

type Key = string | { column: string; order?: 'asc' | 'desc'; nulls?: 'first' | 'last' };

const columnOf = (k: Key): string => (typeof k === 'string' ? k : k.column);
const orderOf = (k: Key): 'asc' | 'desc' => (typeof k === 'string' ? 'asc' : (k.order ?? 'asc'));

/** The key as short as it can be written: a bare name when ascending with nulls last. */
function keyOf(column: string, order: 'asc' | 'desc', was: Key): Key {
  const nulls = typeof was === 'string' ? undefined : was.nulls;
  if (order === 'asc' && (nulls === undefined || nulls === 'last')) return column;
  return { column, order, ...(nulls ? { nulls } : {}) };
}

export function SortKeys(p: {
  label: string;
  value: unknown;
  columns: Col[];
  known: boolean;
  onChange(v: Key[]): void;
}): React.JSX.Element {
  const rows = Array.isArray(p.value) ? (p.value as Key[]) : [];
  return (
    <Rows
      label={p.label}
      addLabel="Add sort key"
      rows={rows}
      min={1}
      onChange={p.onChange}
      make={() =>
        p.columns.find((c) => !rows.some((r) => columnOf(r) === c.name))?.name ?? 'column'
      }
      render={(r, set, i) => (
        <>
          <ColumnInput
            label={`${p.label} ${i + 1} column`}
            value={columnOf(r)}
            columns={p.columns}
            known={p.known}
            onChange={(c) => c && set(keyOf(c, orderOf(r), r))}
          />
          <Choice
            label={`${p.label} ${i + 1} order`}
            value={orderOf(r)}
            options={['asc', 'desc'] as const}
            onChange={(o) => set(keyOf(columnOf(r), o, r))}
          />
        </>
      )}
    />
  );
}
