/**
 * Which editor a step's setting gets: column pickers where it names columns, the expression
 * editor where it is an expression, a structured editor where it is a list of rules, keys or
 * aggregations, and the plain field (text, number, switch, choice, YAML) otherwise.
 */
import { useStore } from '../../../store';
import type { StepField } from '../step-fields';
import type { StepInput } from '../step-input';
import { FieldInput } from './FieldInput';
import { AggregateRows } from './AggregateRows';
import { ColumnChips } from './ColumnChips';
import { ColumnInput } from './ColumnInput';
import { ColumnMap, type MapKind } from './ColumnMap';
import { ExpressionField } from './ExpressionField';
import { JoinEditor } from './JoinEditor';
import { SidePicker, type SideRef } from './SidePicker';
import { SortKeys } from './SortKeys';
import { ValidateRules } from './ValidateRules';
import { WindowFunctions } from './WindowFunctions';

/** Settings that list input columns. */
const COLUMN_LISTS = new Set([
  'trim.columns',
  'nullify.columns',
  'parse_dates.columns',
  'parse_numbers.columns',
  'dedupe.key',
  'select.columns',
  'drop.columns',
  'replace.columns',
  'case.columns',
  'aggregate.group_by',
  'pivot.index',
  'unpivot.keep',
  'unpivot.columns',
  'window.partition_by',
  'normalize.columns',
]);
/** Settings that name one input column. */
const ONE_COLUMN = new Set(['date_parts.column', 'pivot.columns', 'pivot.values']);
/** Settings that map a column to something. */
const MAPS: Record<string, MapKind> = {
  'cast.columns': 'type',
  'rename.columns': 'name',
  'fill_missing.columns': 'fill',
  'derive.columns': 'expression',
};

/** Settings whose editor needs the form's whole width (rows of several cells, chips). */
export function isWide(kind: string, key: string): boolean {
  const at = `${kind}.${key}`;
  return (
    COLUMN_LISTS.has(at) ||
    Object.hasOwn(MAPS, at) ||
    at === 'filter.where' ||
    [
      'validate.rules',
      'aggregate.aggregations',
      'window.functions',
      'sort.by',
      'window.order_by',
      'join.with',
    ].includes(at)
  );
}

export function SettingEditor(p: {
  kind: string;
  field: StepField;
  index: number;
  step: Record<string, unknown>;
  input: StepInput;
  onChange(patch: Record<string, unknown>): void;
}): React.JSX.Element {
  const checkExpression = useStore((s) => s.checkExpression);
  const pipeline = useStore((s) => s.editor?.name ?? '');
  const { field: f, input } = p;
  const at = `${p.kind}.${f.key}`;
  const value = p.step[f.key];
  const set = (v: unknown): void => p.onChange({ [f.key]: v });
  const cols = { columns: input.columns, known: input.known };
  // Row editors are named by their setting as a group, as a single field is by its label.
  const group = (editor: React.JSX.Element): React.JSX.Element => (
    <div role="group" aria-label={f.key}>
      {editor}
    </div>
  );
  if (COLUMN_LISTS.has(at))
    return (
      <ColumnChips
        label={f.key}
        value={value}
        {...cols}
        allowAll={f.allowAll}
        emptyMeans={at === 'dedupe.key' ? 'every column' : undefined}
        onChange={set}
      />
    );
  if (ONE_COLUMN.has(at))
    return <ColumnInput label={f.key} value={value as string} {...cols} onChange={set} />;
  if (Object.hasOwn(MAPS, at))
    return group(
      <ColumnMap
        kind={MAPS[at]}
        value={value}
        {...cols}
        onChange={set}
        check={(expression, column) => checkExpression({ step: p.index + 1, expression, column })}
      />,
    );
  if (at === 'filter.where')
    return (
      <ExpressionField
        label={f.key}
        value={value as string | undefined}
        columns={input.columns}
        placeholder="a condition, e.g. [Quantity] > 1"
        check={(expression) => checkExpression({ step: p.index + 1, expression })}
        onChange={set}
      />
    );
  if (at === 'validate.rules')
    return group(<ValidateRules value={value} {...cols} onChange={set} />);
  if (at === 'aggregate.aggregations')
    return group(<AggregateRows value={value} {...cols} onChange={set} />);
  if (at === 'window.functions')
    return group(<WindowFunctions value={value} {...cols} onChange={set} />);
  if (at === 'sort.by' || at === 'window.order_by')
    return group(<SortKeys label={f.key} value={value} {...cols} onChange={set} />);
  if (at === 'join.with')
    return group(
      <JoinEditor
        index={p.index}
        step={p.step}
        {...cols}
        pipeline={pipeline}
        onChange={p.onChange}
      />,
    );
  if (at === 'union.with')
    return (
      <SidePicker
        label={f.key}
        value={(value ?? null) as SideRef | null}
        self={pipeline}
        onChange={set}
      />
    );
  return <FieldInput field={f} value={value} onChange={set} />;
}
