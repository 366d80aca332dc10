/**
 * A new step of each kind, valid as it is added: required settings get a working value, and a
 * setting that names a column gets the first input column that suits it (a date column for
 * date_parts, a number for normalize), so the preview shows something at once and the user
 * edits from there rather than from an error.
 */
import type { StepKind } from '../../../src-shared/recipe/steps';

export interface NewStepContext {
  /** The columns the step will see (the output of the step before it). */
  columns: { name: string; type: string }[];
  /** Another pipeline of the project, for a join or union to start from. */
  otherPipeline?: string;
  /** A table a join or union can read now (a pipeline that has run, a CSV file): preferred. */
  side?: { pipeline: string } | { csv: string };
}

const NUMBER = new Set(['int', 'float', 'decimal']);
const DATE = new Set(['date', 'datetime']);

/** A column reference for an expression: bracketed (back-quoted if it holds a bracket). */
export const columnRef = (name: string): string =>
  name.includes(']') ? `\`${name}\`` : `[${name}]`;

export function newStep(
  kind: string,
  ctx: NewStepContext = { columns: [] },
): Record<string, unknown> {
  const cols = ctx.columns;
  const first = (want?: Set<string>): string =>
    (want && cols.find((c) => want.has(c.type))?.name) ?? cols[0]?.name ?? 'column';
  const text = (): string => cols.find((c) => c.type === 'string')?.name ?? first();
  const c0 = first();
  const other = ctx.side ?? { pipeline: ctx.otherPipeline ?? 'other' };
  const steps: Record<StepKind, () => Record<string, unknown>> = {
    trim: () => ({}),
    nullify: () => ({}),
    cast: () => ({
      columns: { [c0]: cols[0]?.type && cols[0].type !== 'email' ? cols[0].type : 'string' },
    }),
    parse_dates: () => ({ columns: [text()], formats: ['yyyy-MM-dd'] }),
    parse_numbers: () => ({ columns: [text()] }),
    dedupe: () => ({}),
    fill_missing: () => ({ columns: { [c0]: 'mode' } }),
    validate: () => ({ rules: [{ column: c0, not_null: true }] }),
    filter: () => ({ where: `${columnRef(c0)} is not null` }),
    rename: () => ({ columns: { [c0]: `${c0}_renamed` } }),
    select: () => ({ columns: cols.length ? cols.map((c) => c.name) : [c0] }),
    drop: () => ({ columns: [c0] }),
    replace: () => ({ columns: [text()], values: { 'N/A': null } }),
    case: () => ({ columns: [text()], to: 'upper' }),
    derive: () => ({ columns: { new_column: columnRef(c0) } }),
    aggregate: () => ({ group_by: [c0], aggregations: [{ fn: 'count', as: 'rows' }] }),
    join: () => ({ with: other, on: [c0] }),
    sort: () => ({ by: [c0] }),
    limit: () => ({ rows: 100 }),
    date_parts: () => ({ column: first(DATE) }),
    sample: () => ({ rows: 1000 }),
    union: () => ({ with: other }),
    pivot: () => ({
      columns: text(),
      column_values: ['value'],
      values: first(NUMBER),
      fn: 'sum',
    }),
    unpivot: () => ({}),
    window: () => ({ order_by: [c0], functions: [{ fn: 'row_number', as: 'row_number' }] }),
    normalize: () => ({ columns: [first(NUMBER)] }),
  };
  const make = Object.hasOwn(steps, kind) ? steps[kind as StepKind] : () => ({});
  return { step: kind, ...make() };
}
