/** aggregate's aggregations: one row each, column (none for a row count), function, output name. */
import { AGG_FNS } from '../../../../src-shared/recipe/steps';
import type { Col } from '../step-input';
import { Choice, Rows, TextCell } from './cells';
import { ColumnInput } from './ColumnInput';

type Agg = { column?: string; fn: (typeof AGG_FNS)[number]; as?: string };

export function AggregateRows(p: {
  value: unknown;
  columns: Col[];
  known: boolean;
  onChange(v: Agg[]): void;
}): React.JSX.Element {
  const rows = Array.isArray(p.value) ? (p.value as Agg[]) : [];
  const numeric = p.columns.find((c) => ['int', 'float', 'decimal'].includes(c.type))?.name;
  return (
    <Rows<Agg>
      label="aggregation"
      addLabel="Add aggregation"
      rows={rows}
      min={1}
      onChange={p.onChange}
      make={(): Agg =>
        numeric ? { column: numeric, fn: 'sum', as: `${numeric}_sum` } : { fn: 'count' }
      }
      render={(r, set, i) => (
        <>
          <ColumnInput
            label={`aggregation ${i + 1} column`}
            value={r.column}
            columns={p.columns}
            known={p.known}
            placeholder={r.fn === 'count' ? '(rows)' : 'column'}
            onChange={(column) => set(withKey(r, 'column', column))}
          />
          <Choice
            label={`aggregation ${i + 1} function`}
            value={r.fn}
            options={AGG_FNS}
            onChange={(fn) => set({ ...r, fn })}
          />
          <TextCell
            label={`aggregation ${i + 1} as`}
            value={r.as}
            placeholder={r.column ? `${r.column}_${r.fn}` : r.fn}
            onChange={(as) => set(withKey(r, 'as', as))}
          />
        </>
      )}
    />
  );
}

/** The row with `key` set, or left out when undefined (YAML then does not say it). */
export function withKey<T extends object, K extends keyof T>(
  row: T,
  key: K,
  v: T[K] | undefined,
): T {
  const next = { ...row };
  if (v === undefined) delete next[key];
  else next[key] = v;
  return next;
}
