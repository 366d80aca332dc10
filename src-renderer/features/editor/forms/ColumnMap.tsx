/**
 * Settings that map a column to something, one row each: cast (a type), rename (a new name),
 * fill_missing (a strategy or a constant) and derive (an expression, its column a new name).
 */
import { COLUMN_TYPES } from '../../../../src-shared/recipe/steps';
import type { Col } from '../step-input';
import { Choice, Rows, TextCell } from './cells';
import { ColumnInput } from './ColumnInput';
import { ExpressionField } from './ExpressionField';
import type { Result } from '../../../../src-shared/api/contract';

export type MapKind = 'type' | 'name' | 'fill' | 'expression';
const STRATEGIES = [
  'drop',
  'mean',
  'median',
  'mode',
  'forward_fill',
  'backward_fill',
  'constant',
] as const;

function FillCell(p: { n: number; value: unknown; set(v: unknown): void }): React.JSX.Element {
  const constant = typeof p.value === 'object' && p.value !== null;
  const c = constant ? (p.value as { constant: unknown }).constant : undefined;
  return (
    <span className="pair">
      <Choice
        label={`column ${p.n} fill`}
        value={constant ? 'constant' : (p.value as (typeof STRATEGIES)[number])}
        options={STRATEGIES}
        onChange={(s) => p.set(s === 'constant' ? { constant: '' } : s)}
      />
      {constant ? (
        <TextCell
          label={`column ${p.n} constant`}
          value={String(c ?? '')}
          onChange={(v) => p.set({ constant: v ?? '' })}
        />
      ) : null}
    </span>
  );
}

export function ColumnMap(p: {
  kind: MapKind;
  value: unknown;
  columns: Col[];
  known: boolean;
  onChange(v: Record<string, unknown>): void;
  check?(expression: string, column: string): Promise<Result<'pipelines.checkExpression'>>;
}): React.JSX.Element {
  const entries =
    p.value && typeof p.value === 'object'
      ? Object.entries(p.value as Record<string, unknown>)
      : [];
  const write = (rows: [string, unknown][]): void => p.onChange(Object.fromEntries(rows));
  const unused = (): string =>
    p.columns.find((c) => !entries.some(([k]) => k === c.name))?.name ?? 'column';
  const fresh = (): string => {
    for (let i = entries.length + 1; ; i++)
      if (!entries.some(([k]) => k === `new_column_${i}`)) return `new_column_${i}`;
  };
  const make = (): [string, unknown] =>
    p.kind === 'type'
      ? [unused(), 'string']
      : p.kind === 'name'
        ? [unused(), `${unused()}_renamed`]
        : p.kind === 'fill'
          ? [unused(), 'mode']
          : [fresh(), `[${p.columns[0]?.name ?? 'column'}]`];
  return (
    <Rows
      label="column"
      addLabel={p.kind === 'expression' ? 'Add column' : 'Add'}
      rows={entries}
      min={1}
      onChange={write}
      make={make}
      render={([key, v], set, i) => (
        <>
          <ColumnInput
            label={`column ${i + 1}`}
            value={key}
            columns={p.columns}
            known={p.known}
            free={p.kind === 'expression'}
            placeholder={p.kind === 'expression' ? 'new column' : 'column'}
            onChange={(k) => k && set([k, v])}
          />
          {p.kind === 'type' ? (
            <Choice
              label={`column ${i + 1} type`}
              value={String(v) as never}
              options={COLUMN_TYPES}
              onChange={(t) => set([key, t])}
            />
          ) : p.kind === 'name' ? (
            <TextCell
              label={`column ${i + 1} new name`}
              value={String(v ?? '')}
              onChange={(n) => n && set([key, n])}
            />
          ) : p.kind === 'fill' ? (
            <FillCell n={i + 1} value={v} set={(x) => set([key, x])} />
          ) : (
            <ExpressionField
              label={`column ${i + 1} expression`}
              value={typeof v === 'string' ? v : ''}
              // The columns derived before this one may be used too.
              columns={[
                ...p.columns,
                ...entries.slice(0, i).map(([k]) => ({ name: k, type: 'derived' })),
              ]}
              check={(e) => p.check!(e, key)}
              onChange={(e) => set([key, e ?? ''])}
            />
          )}
        </>
      )}
    />
  );
}
