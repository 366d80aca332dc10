/**
 * Compiles a pipeline's steps into one PostgreSQL query: a chain of CTEs over the source, one or
 * more per step, with the local engine's meaning. A pure function of the recipe: no driver here.
 * The SQL keeps to what Citus distributes: CTEs, joins, window functions and aggregates, no
 * functions of its own. Each CTE carries a row-number column, so that the steps that depend on
 * order (dedupe, limit, fill, first/last) see rows in the engine's order.
 *
 *   compileSteps(steps, { from: 'sales', fields, order: 'line' }).sql
 */
import type { Step, StepKind } from '../../../src-shared/recipe/steps';
import { stepName } from '../pipeline';
import { sideName, StepConfigError, type SideRef, type StepImpl } from '../step';
import { STEPS } from '../steps/index';
import { emptyBatch, type Field } from '../table';
import {
  Builder,
  columns,
  ROW,
  sourceSelect,
  type SqlRelation,
  type StepCompiler,
} from './builder';
import {
  dedupeSql,
  deriveSql,
  dropSql,
  fillMissingSql,
  filterSql,
  limitSql,
  sampleSql,
  renameSql,
  selectSql,
  sortSql,
} from './steps-rows';
import { aggregateSql, joinSql, pivotSql, unionSql, unpivotSql } from './steps-shape';
import {
  caseSql,
  castSql,
  nullifySql,
  parseDatesSqlStep,
  parseNumbersSql,
  replaceSql,
  trimSql,
} from './steps-text';
import { validateSql } from './steps-validate';
import { datePartsSql, windowSql } from './steps-window';
import { SqlUnsupported } from './text';

export type { SqlRelation } from './builder';
export { ROW } from './builder';
export { SqlUnsupported } from './text';

const COMPILERS: Partial<{ [K in StepKind]: StepCompiler<Extract<Step, { step: K }>> }> = {
  trim: trimSql,
  nullify: nullifySql,
  replace: replaceSql,
  case: caseSql,
  parse_numbers: parseNumbersSql,
  parse_dates: parseDatesSqlStep,
  cast: castSql,
  dedupe: dedupeSql,
  fill_missing: fillMissingSql,
  filter: filterSql,
  derive: deriveSql,
  select: selectSql,
  rename: renameSql,
  drop: dropSql,
  sort: sortSql,
  limit: limitSql,
  sample: sampleSql,
  aggregate: aggregateSql,
  join: joinSql,
  union: unionSql,
  validate: validateSql,
  date_parts: datePartsSql,
  window: windowSql,
  pivot: pivotSql,
  unpivot: unpivotSql,
};

/** The step kinds that compile (some settings of them may still run only locally). */
export const SQL_STEP_KINDS = Object.keys(COMPILERS) as StepKind[];

/** A step that runs only with the local engine: `step 7 (normalize) runs only with the local engine`. */
export class LocalOnlyError extends Error {
  constructor(
    readonly index: number,
    readonly kind: string,
    readonly reason: string,
  ) {
    super(`step ${index + 1} (${kind}) runs only with the local engine: ${reason}`);
  }
}

export interface CompiledSql {
  /** The whole query: WITH ... SELECT the output columns, in the engine's row order. */
  sql: string;
  /** The output columns with their engine types. */
  fields: Field[];
  /** For each enabled step: the CTE that holds its output. */
  steps: { index: number; name: string; kind: StepKind; cte: string }[];
  /** The query's WITH clause alone, and the CTE of the output: for queries that read the steps. */
  with: string;
  last: string;
  /** Whether the source has an order, hence lines: without one, a row's line is its number. */
  sourceLines: boolean;
  /** Checks that stop the run (builder.ts guard); `step`: its place in `steps`. */
  guards: { cte: string; message: string; step: number }[];
}

/**
 * Compiles `steps` over `source`; `sides` gives the relations that join and union read. Throws
 * StepConfigError where the engine would refuse the step, LocalOnlyError where SQL cannot yet
 * give the engine's meaning.
 */
export function compileSteps(
  steps: Step[],
  source: SqlRelation,
  sides: (ref: SideRef) => SqlRelation = (ref) => {
    throw new StepConfigError(`${sideName(ref)} is not available here`);
  },
): CompiledSql {
  const q = new Builder('s0', sides);
  q.ctes.push(['s0', sourceSelect(source, true)]);
  let fields = source.fields;
  const done: CompiledSql['steps'] = [];
  steps.forEach((step, index) => {
    if (step.enabled === false) return;
    const name = stepName(step, index);
    const impl = STEPS[step.step] as unknown as StepImpl;
    let out: Field[];
    try {
      out = impl.plan(step, fields, { side: (ref) => emptyBatch(sides(ref).fields) }).fields;
    } catch (e) {
      if (e instanceof StepConfigError)
        throw new StepConfigError(`step ${name}: ${e.message}`, ['steps', index, ...e.path]);
      throw e;
    }
    const compiler = COMPILERS[step.step] as StepCompiler | undefined;
    if (!compiler) throw new LocalOnlyError(index, step.step, 'no SQL for this step kind yet');
    try {
      compiler(step, fields, out, q);
    } catch (e) {
      if (e instanceof SqlUnsupported) throw new LocalOnlyError(index, step.step, e.message);
      throw e;
    }
    for (const g of q.guards) if (g.step < 0) g.step = done.length;
    done.push({ index, name, kind: step.step, cte: q.cur });
    fields = out;
  });
  const ctes = q.ctes
    .map(([n, body, m]) => `${n} AS ${m ? 'MATERIALIZED ' : ''}(\n  ${body}\n)`)
    .join(',\n');
  const sql = `WITH ${ctes}\nSELECT ${columns(fields)} FROM ${q.cur} ORDER BY ${ROW}`;
  return {
    sql,
    fields,
    steps: done,
    with: `WITH ${ctes}`,
    last: q.cur,
    sourceLines: source.order !== undefined,
    guards: q.guards,
  };
}

/** The steps that would run only locally, each with its reason (for validate and explain). */
export function localOnlySteps(
  steps: Step[],
  source: SqlRelation,
  sides?: (ref: SideRef) => SqlRelation,
): LocalOnlyError[] {
  const found: LocalOnlyError[] = [];
  let rest = steps;
  // Compile as far as possible; a step that cannot compile is left out and the rest tried again.
  for (;;) {
    try {
      compileSteps(rest, source, sides);
      return found;
    } catch (e) {
      // Without a step left out, a later one may refuse its columns: the list ends there.
      if (e instanceof StepConfigError && found.length) return found;
      if (!(e instanceof LocalOnlyError)) throw e;
      found.push(e);
      rest = rest.map((s, i) => (i === e.index ? { ...s, enabled: false } : s));
    }
  }
}
