/**
 * The books of a pipeline that runs on the server (engine: postgres). One statement runs the
 * compiled steps once: it writes the output rows into a table, the rows steps rejected or removed
 * into sluice_rejects, and returns the row count of each step that can change it; stepReports
 * turns those counts into the reports a local run gives. Counting only those steps keeps the
 * others inlined: a CTE read twice (by the next step and by a count) is materialized.
 */
import type { StepReport } from '../../../src-shared/recipe/result';
import type { Step, StepKind } from '../../../src-shared/recipe/steps';
import { emptyStepReport } from '../pipeline';
import { sampleReason } from '../steps/sample';
import { columns, ROW, SOURCE_LINE } from './builder';
import type { CompiledSql } from './compile';
import { ident, lit } from './text';

/** Steps whose rows leave with a rule (rejected) or a reason (removed), each row keeping its number. */
const REJECTS = new Set<StepKind>(['cast', 'validate']);
const REMOVES = new Set<StepKind>(['filter', 'dedupe', 'limit', 'fill_missing', 'sample']);
/** Steps that fold rows into others, or make rows no input row passed into. */
const MERGES = new Set<StepKind>(['aggregate', 'pivot']);
const ADDS = new Set<StepKind>(['union', 'unpivot', 'join']);

/** Steps that give rows new numbers: after one, a row's number no longer finds its source line. */
const RENUMBERS = new Set<StepKind>(['sort', 'aggregate', 'pivot', 'unpivot', 'join', 'union']);

const counted = (k: StepKind): boolean =>
  REJECTS.has(k) || REMOVES.has(k) || MERGES.has(k) || ADDS.has(k);

/** The rule and reason a dropped row of `step` is recorded with (as the local engine words them). */
function whyDropped(step: Step): { rule: string; reason: string } {
  switch (step.step) {
    case 'cast':
      return { rule: 'cast', reason: 'a value is not of its column type' };
    case 'validate':
      return { rule: 'validate', reason: 'fails a rule' };
    case 'filter':
      return { rule: 'filter', reason: `filter: ${step.where}` };
    case 'dedupe':
      return {
        rule: 'dedupe',
        reason: `duplicate ${step.key ? step.key.join(' + ') : 'all columns'}`,
      };
    case 'limit':
      return { rule: 'limit', reason: `outside offset ${step.offset}, limit ${step.rows}` };
    case 'fill_missing':
      return { rule: 'fill_missing', reason: 'a value is missing (drop)' };
    case 'sample':
      return { rule: 'sample', reason: sampleReason(step) };
    default:
      return { rule: step.step, reason: `${step.step}: no match` };
  }
}

export interface BooksSql {
  /** Parameters: $1 the run's id, $2 the pipeline's name. One row of counts n0, n1, ... */
  sql: string;
  /** The CTE each count column counts: n0 the source, then the counted steps. */
  counts: string[];
  /**
   * The checks that stop the run (join's forbid_fan_out): columns `<cte>_line` and `<cte>_hits`,
   * null unless one fired. `lineKnown`: the line is the source line, else the row's number in the
   * step's input (a step before it renumbered the rows).
   */
  guards: { cte: string; message: string; step: number; lineKnown: boolean }[];
}

/**
 * The statement that runs `c` into `into` (its columns and the row column) and records dropped
 * rows into `rejects` (a sluice_rejects table), returning the counts.
 */
export function booksSql(c: CompiledSql, steps: Step[], into: string, rejects: string): BooksSql {
  const counts = ['s0', ...c.steps.filter((s) => counted(s.kind)).map((s) => s.cte)];
  const writes = [
    `_sluice_out AS (INSERT INTO ${into} SELECT ${columns(c.fields)} FROM ${c.last})`,
  ];
  // Until a step renumbers the rows, a row's number is its place in the source (s0), which holds
  // its line; for a source without lines (a server's table), the row number is the line.
  let numbered = true;
  const guards: (BooksSql['guards'][number] & { line: string })[] = [];
  c.steps.forEach((s, i) => {
    const kept = numbered;
    for (const g of c.guards.filter((x) => x.step === i))
      guards.push({
        ...g,
        line:
          kept && c.sourceLines
            ? `(SELECT coalesce(l.${SOURCE_LINE}, g.row) FROM ${g.cte} g LEFT JOIN s0 l ON l.${ROW} = g.row)`
            : `(SELECT g.row FROM ${g.cte} g)`,
        lineKnown: kept,
      });
    if (RENUMBERS.has(s.kind)) numbered = false;
    if (!REJECTS.has(s.kind) && !REMOVES.has(s.kind)) return;
    const before = i === 0 ? 's0' : c.steps[i - 1].cte;
    const { rule, reason } = whyDropped(steps[s.index]);
    const type = REJECTS.has(s.kind) ? lit(rule) : `'removed'`;
    // A source without lines (a server's table) needs no join to find them: a join that sorts
    // the whole source again, at 10M rows, for each step that drops a row.
    const lines = kept && c.sourceLines;
    const join = lines && before !== 's0' ? ` LEFT JOIN s0 l ON l.${ROW} = b.${ROW}` : '';
    const from = before === 's0' ? 'b' : 'l';
    const line = !kept
      ? 'NULL::bigint'
      : lines
        ? `coalesce(${from}.${SOURCE_LINE}, b.${ROW})`
        : `b.${ROW}`;
    writes.push(
      `_sluice_drop${i} AS (INSERT INTO ${rejects} (run_id, pipeline, step, error_type, message, record, record_hash, line) ` +
        `SELECT $1, $2, ${lit(s.name)}, ${type}, ${lit(reason)}, r.rec, md5(r.rec::text), r.line ` +
        `FROM (SELECT to_jsonb(b) - '_sluice_row' - '_sluice_source_line' AS rec, ${line} AS line FROM ${before} b${join} ` +
        `WHERE NOT EXISTS (SELECT 1 FROM ${s.cte} a WHERE a.${ROW} = b.${ROW})) r)`,
    );
  });
  // The parameters are named even when no step drops rows: a statement must use what it is sent.
  const select = [
    ...counts.map((cte, i) => `(SELECT count(*) FROM ${cte}) AS ${ident(`n${i}`)}`),
    ...guards.flatMap((g) => [
      `${g.line} AS ${ident(`${g.cte}_line`)}`,
      `(SELECT g.hits FROM ${g.cte} g) AS ${ident(`${g.cte}_hits`)}`,
    ]),
    `$1::text AS run_id, $2::text AS pipeline`,
  ];
  return {
    sql: `${c.with},\n${writes.join(',\n')}\nSELECT ${select.join(', ')}`,
    counts,
    guards: guards.map(({ cte, message, step, lineKnown }) => ({ cte, message, step, lineKnown })),
  };
}

/** The steps' reports from the counts booksSql returned (by CTE). */
export function stepReports(
  c: CompiledSql,
  steps: Step[],
  count: Map<string, number>,
): StepReport[] {
  let rows = count.get('s0') ?? 0;
  return c.steps.map((s) => {
    const out = count.get(s.cte) ?? rows;
    const r: StepReport = { ...emptyStepReport(s.name, s.kind), rowsIn: rows, rowsOut: out };
    const gone = rows - out;
    if (REJECTS.has(s.kind)) r.rowsRejected = gone;
    else if (MERGES.has(s.kind)) r.rowsMerged = gone;
    else if (gone < 0) r.rowsAdded = -gone;
    else if (gone > 0) {
      // A join removes unmatched rows (inner, semi, anti) and adds fan-out: the counts give the net.
      r.rowsRemoved = gone;
      r.removedReasons[whyDropped(steps[s.index]).reason] = gone;
    }
    rows = out;
    return r;
  });
}
