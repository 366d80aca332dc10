/**
 * Zod schemas for every step kind a recipe can use. One `step:` key picks the kind; the rest of
 * the object are its parameters. The engine has one implementation file per kind.
 */
import { z } from 'zod';
import { userRecord } from './user-record';

export const COLUMN_TYPES = [
  'int',
  'float',
  'decimal',
  'boolean',
  'date',
  'datetime',
  'string',
] as const;
export const ColumnType = z.enum(COLUMN_TYPES);
export type ColumnType = z.infer<typeof ColumnType>;

/** `all` (every text column) or an explicit list of column names. */
const Columns = z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]);
const ColumnList = z.array(z.string().min(1)).min(1);

const base = {
  name: z.string().min(1).optional(),
  enabled: z.boolean().optional(),
  note: z.string().optional(),
};

export const TrimStep = z.strictObject({
  step: z.literal('trim'),
  ...base,
  columns: Columns.default('all'),
  collapse_spaces: z.boolean().default(false),
});

export const NullifyStep = z.strictObject({
  step: z.literal('nullify'),
  ...base,
  columns: Columns.default('all'),
  // Not NA: it is Napoli's province code, Namibia's country code and a real word.
  tokens: z.array(z.string()).default(['N/A', '#N/A', 'NULL']),
  case_sensitive: z.boolean().default(false),
});

export const CastStep = z.strictObject({
  step: z.literal('cast'),
  ...base,
  columns: userRecord(ColumnType),
  on_error: z.enum(['null', 'reject', 'keep']).default('reject'),
  formats: z.array(z.string().min(1)).optional(),
});

export const ParseDatesStep = z.strictObject({
  step: z.literal('parse_dates'),
  ...base,
  columns: ColumnList,
  formats: z.array(z.string().min(1)).min(1),
  output: z.enum(['date', 'datetime']).default('date'),
  output_format: z.string().min(1).optional(),
  on_invalid: z.enum(['reject', 'null']).default('reject'),
});

export const ParseNumbersStep = z.strictObject({
  step: z.literal('parse_numbers'),
  ...base,
  columns: ColumnList,
  type: z.enum(['int', 'float', 'decimal']).default('decimal'),
  decimal: z.enum(['.', ',']).default('.'),
  thousands: z.enum([',', '.', ' ', "'", '']).default(','),
  percent: z.boolean().default(true),
  on_invalid: z.enum(['reject', 'null']).default('reject'),
});

export const DedupeStep = z.strictObject({
  step: z.literal('dedupe'),
  ...base,
  key: ColumnList.optional(),
  keep: z.enum(['first', 'last', 'none']).default('first'),
});

const FillStrategy = z.union([
  z.enum(['drop', 'mean', 'median', 'mode', 'forward_fill', 'backward_fill']),
  z.strictObject({ constant: z.union([z.string(), z.number(), z.boolean()]) }),
]);
export type FillStrategy = z.infer<typeof FillStrategy>;

export const FillMissingStep = z.strictObject({
  step: z.literal('fill_missing'),
  ...base,
  columns: userRecord(FillStrategy),
});

const ValidateRule = z
  .strictObject({
    column: z.string().min(1),
    regex: z.string().optional(),
    email: z.boolean().optional(),
    range: z.strictObject({ min: z.number().optional(), max: z.number().optional() }).optional(),
    allowed: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
    not_null: z.boolean().optional(),
    unique: z.boolean().optional(),
    on_invalid: z.enum(['reject', 'replace', 'null', 'flag']).default('reject'),
    replacement: z.union([z.string(), z.number(), z.boolean()]).optional(),
  })
  .refine(
    (r) =>
      [r.regex, r.email, r.range, r.allowed, r.not_null, r.unique].some((x) => x !== undefined),
    { message: 'a rule needs one of regex, email, range, allowed, not_null, unique' },
  )
  .refine((r) => r.on_invalid !== 'replace' || r.replacement !== undefined, {
    message: 'on_invalid: replace needs a replacement value',
  });
export type ValidateRule = z.infer<typeof ValidateRule>;

export const ValidateStep = z.strictObject({
  step: z.literal('validate'),
  ...base,
  rules: z.array(ValidateRule).min(1),
});

export const FilterStep = z.strictObject({
  step: z.literal('filter'),
  ...base,
  where: z.string().min(1),
});

export const RenameStep = z.strictObject({
  step: z.literal('rename'),
  ...base,
  columns: userRecord(z.string().min(1)),
});

export const SelectStep = z.strictObject({
  step: z.literal('select'),
  ...base,
  columns: ColumnList,
});

export const DropStep = z.strictObject({
  step: z.literal('drop'),
  ...base,
  columns: ColumnList,
});

export const ReplaceStep = z
  .strictObject({
    step: z.literal('replace'),
    ...base,
    columns: Columns,
    values: userRecord(z.union([z.string(), z.null()]), z.string()).optional(),
    regex: z.string().optional(),
    with: z.string().optional(),
  })
  .refine((s) => (s.values === undefined) !== (s.regex === undefined), {
    message: 'replace needs either values or regex (with `with`), not both',
  });

export const CaseStep = z.strictObject({
  step: z.literal('case'),
  ...base,
  columns: Columns,
  to: z.enum(['upper', 'lower', 'title']),
});

export const AGG_FNS = [
  'count',
  'count_distinct',
  'sum',
  'mean',
  'median',
  'min',
  'max',
  'std',
  'var',
  'first',
  'last',
] as const;

export const AggregateStep = z.strictObject({
  step: z.literal('aggregate'),
  ...base,
  group_by: z.array(z.string().min(1)).default([]),
  aggregations: z
    .array(
      z
        .strictObject({
          /** Omit for count: then rows are counted. */
          column: z.string().min(1).optional(),
          fn: z.enum(AGG_FNS),
          as: z.string().min(1).optional(),
        })
        .refine((a) => a.column !== undefined || a.fn === 'count', {
          message: 'only count can go without a column',
        }),
    )
    .min(1),
});

export const SortStep = z.strictObject({
  step: z.literal('sort'),
  ...base,
  by: z
    .array(
      z.union([
        z.string().min(1),
        z.strictObject({
          column: z.string().min(1),
          order: z.enum(['asc', 'desc']).default('asc'),
          nulls: z.enum(['first', 'last']).default('last'),
        }),
      ]),
    )
    .min(1),
});

export const LimitStep = z.strictObject({
  step: z.literal('limit'),
  ...base,
  rows: z.number().int().min(0),
  offset: z.number().int().min(0).default(0),
});

export const DeriveStep = z.strictObject({
  step: z.literal('derive'),
  ...base,
  /** New or replaced columns, in order; each expression may use the ones before it. */
  columns: userRecord(z.string().min(1)),
});

const SideRef = z.union([
  z.strictObject({ pipeline: z.string().min(1) }),
  z.strictObject({ csv: z.string().min(1) }),
]);

export const JoinStep = z.strictObject({
  step: z.literal('join'),
  ...base,
  how: z.enum(['inner', 'left', 'right', 'full', 'semi', 'anti']).default('inner'),
  /** The other side: another pipeline's output, or a CSV file (relative to the data folder). */
  with: SideRef,
  /** Key columns: the same name on both sides, or {left, right}. */
  on: z
    .array(
      z.union([
        z.string().min(1),
        z.strictObject({ left: z.string().min(1), right: z.string().min(1) }),
      ]),
    )
    .min(1),
  /** Suffix for right-side columns whose names are taken on the left. */
  suffix: z.string().min(1).default('_right'),
  /** Fail when a key matches more than one row on the other side. */
  forbid_fan_out: z.boolean().default(false),
});

export const DATE_PARTS = [
  'year',
  'month',
  'day',
  'weekday',
  'quarter',
  'week',
  'hour',
  'minute',
] as const;

export const DatePartsStep = z.strictObject({
  step: z.literal('date_parts'),
  ...base,
  column: z.string().min(1),
  parts: z
    .array(z.enum(DATE_PARTS))
    .min(1)
    .default(['year', 'month', 'day', 'weekday', 'quarter', 'week']),
  /** Default: the column name and an underscore. */
  prefix: z.string().optional(),
  /** Whole days from `column` to another date column (negative when it is earlier). */
  days_between: z.strictObject({ to: z.string().min(1), as: z.string().min(1) }).optional(),
});

export const SampleStep = z
  .strictObject({
    step: z.literal('sample'),
    ...base,
    rows: z.number().int().min(0).optional(),
    fraction: z.number().min(0).max(1).optional(),
    seed: z.number().int().default(1),
  })
  .refine((s) => (s.rows === undefined) !== (s.fraction === undefined), {
    message: 'sample takes rows or fraction',
  });

export const UnionStep = z.strictObject({
  step: z.literal('union'),
  ...base,
  with: SideRef,
  /** A column naming where each row came from; omit for none. */
  source_column: z.string().min(1).optional(),
  /** The source value of this pipeline's own rows (default: "this"). */
  label: z.string().min(1).default('this'),
});

export const PivotStep = z.strictObject({
  step: z.literal('pivot'),
  ...base,
  index: z.array(z.string().min(1)).default([]),
  /** The column whose values become columns... */
  columns: z.string().min(1),
  /** ...listed here, so that the output's columns do not depend on the data. */
  column_values: z.array(z.union([z.string(), z.number()])).min(1),
  values: z.string().min(1),
  fn: z.enum(AGG_FNS).default('sum'),
});

export const UnpivotStep = z.strictObject({
  step: z.literal('unpivot'),
  ...base,
  keep: z.array(z.string().min(1)).default([]),
  /** Columns to turn into rows; default every column not kept. */
  columns: z.array(z.string().min(1)).optional(),
  name: z.string().min(1).default('variable'),
  value: z.string().min(1).default('value'),
});

export const WINDOW_FNS = [
  'row_number',
  'rank',
  'lag',
  'lead',
  'running_sum',
  'running_mean',
] as const;

export const WindowStep = z.strictObject({
  step: z.literal('window'),
  ...base,
  partition_by: z.array(z.string().min(1)).default([]),
  order_by: SortStep.shape.by,
  functions: z
    .array(
      z.strictObject({
        fn: z.enum(WINDOW_FNS),
        column: z.string().min(1).optional(),
        as: z.string().min(1),
        offset: z.number().int().min(1).default(1),
      }),
    )
    .min(1),
});

export const NormalizeStep = z.strictObject({
  step: z.literal('normalize'),
  ...base,
  columns: z.array(z.string().min(1)).min(1),
  method: z.enum(['zscore', 'minmax', 'robust']).default('zscore'),
  /** Target range for minmax. */
  range: z.tuple([z.number(), z.number()]).default([0, 1]),
  /** New columns get this suffix (default _zscore, _minmax, _robust); in_place replaces. */
  suffix: z.string().optional(),
  in_place: z.boolean().default(false),
  /**
   * computed (default): from this run's data; from_run: the figures the last successful run of
   * this pipeline recorded; or fixed figures per column: {center, scale}.
   */
  stats: z
    .union([
      z.enum(['computed', 'from_run']),
      userRecord(z.strictObject({ center: z.number(), scale: z.number() }), z.string()),
    ])
    .default('computed'),
});

export const Step = z.discriminatedUnion('step', [
  TrimStep,
  NullifyStep,
  CastStep,
  ParseDatesStep,
  ParseNumbersStep,
  DedupeStep,
  FillMissingStep,
  ValidateStep,
  FilterStep,
  RenameStep,
  SelectStep,
  DropStep,
  ReplaceStep,
  CaseStep,
  DeriveStep,
  AggregateStep,
  JoinStep,
  SortStep,
  LimitStep,
  DatePartsStep,
  SampleStep,
  UnionStep,
  PivotStep,
  UnpivotStep,
  WindowStep,
  NormalizeStep,
]);
export type Step = z.infer<typeof Step>;
export type StepKind = Step['step'];
export type StepOf<K extends StepKind> = Extract<Step, { step: K }>;
