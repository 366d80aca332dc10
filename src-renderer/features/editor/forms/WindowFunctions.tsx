/** window's functions, one row each: function, the column it reads, output name, offset. */
import { WINDOW_FNS } from '../../../../src-shared/recipe/steps';
import type { Col } from '../step-input';
import { withKey } from './AggregateRows';
import { Choice, Rows, TextCell } from './cells';
import { ColumnInput } from './ColumnInput';

type Fn = { fn: (typeof WINDOW_FNS)[number]; column?: string; as: string; offset?: number };
const READS = new Set(['lag', 'lead', 'running_sum', 'running_mean']);

export function WindowFunctions(p: {
  value: unknown;
  columns: Col[];
  known: boolean;
  onChange(v: Fn[]): void;
}): React.JSX.Element {
  const rows = Array.isArray(p.value) ? (p.value as Fn[]) : [];
  return (
    <Rows<Fn>
      label="window function"
      addLabel="Add function"
      rows={rows}
      min={1}
      onChange={p.onChange}
      make={() => ({ fn: 'rank', as: 'rank' })}
      render={(r, set, i) => (
        <>
          <Choice
            label={`function ${i + 1}`}
            value={r.fn}
            options={WINDOW_FNS}
            onChange={(fn) =>
              set(
                READS.has(fn)
                  ? { ...r, fn, column: r.column ?? p.columns[0]?.name }
                  : withKey({ ...r, fn }, 'column', undefined),
              )
            }
          />
          {READS.has(r.fn) ? (
            <ColumnInput
              label={`function ${i + 1} column`}
              value={r.column}
              columns={p.columns}
              known={p.known}
              onChange={(column) => set(withKey(r, 'column', column))}
            />
          ) : (
            <span />
          )}
          <TextCell
            label={`function ${i + 1} as`}
            value={r.as}
            onChange={(as) => set({ ...r, as: as ?? r.fn })}
          />
          {r.fn === 'lag' || r.fn === 'lead' ? (
            <TextCell
              label={`function ${i + 1} offset`}
              type="number"
              value={r.offset === undefined ? undefined : String(r.offset)}
              placeholder="1"
              onChange={(o) => set(withKey(r, 'offset', o === undefined ? undefined : Number(o)))}
            />
          ) : null}
        </>
      )}
    />
  );
}
