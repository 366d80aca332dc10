/**
 * `pipelines.explain`: the SQL a pipeline's steps compile to (engine/sql), over the tables a run
 * with `engine: postgres` reads, under the names it gives them: its source file (or another
 * pipeline's output file) and joined files, each staged with COPY into a temporary table with
 * each row's line number, which keeps the file's order; a PostgreSQL source is read in place
 * (its columns asked of its server).
 */
import type { Result } from '../../src-shared/api/contract';
import type { Pipeline } from '../../src-shared/recipe/pipeline';
import { sideName, StepConfigError, type SideRef } from '../engine/step';
import {
  compileSteps,
  localOnlySteps,
  LocalOnlyError,
  type SqlRelation,
} from '../engine/sql/compile';
import { sideTable, SOURCE_TABLE, stagedRelation } from '../engine/sql/staged';
import type { Field } from '../engine/table';
import { SourceError } from '../io/csv-read';
import { projectResources } from '../orchestrator/resources';
import type { ProjectContext } from './context';
import { ApiFailure } from './errors';
import { inputsOf, serverColumns } from './validate';
import { sourceRelation } from '../sinks/postgres-source';

export async function explainPipeline(
  svc: ProjectContext,
  name: string,
): Promise<Result<'pipelines.explain'>> {
  await svc.reload();
  const lp = svc.project.pipelines.find((p) => p.pipeline.name === name);
  if (!lp) throw new ApiFailure('not_found', `the project has no pipeline named "${name}"`);
  const p = lp.pipeline;
  const resources = projectResources(svc.paths(), svc.project.pipelines);
  let inputs;
  try {
    inputs = await inputsOf(
      p,
      resources,
      serverColumns(svc.project, (c) => svc.password(c)),
    );
  } catch (e) {
    if (e instanceof SourceError) throw new ApiFailure('bad_request', `source ${e.message}`);
    throw e;
  }
  if ('waiting' in inputs)
    throw new ApiFailure(
      'bad_request',
      p.source.postgres
        ? `${name} reads ${inputs.waiting.join(', ')}`
        : `${name} reads ${inputs.waiting.join(', ')}, not written yet: run it first`,
    );
  const list: Result<'pipelines.explain'>['inputs'] = [];
  const relationOf = (
    input: string,
    ref: SideRef | { source: Pipeline },
    fields: Field[],
  ): SqlRelation => {
    const rel = relationFor(ref, fields);
    if (!list.some((x) => x.input === input)) list.push({ input, relation: rel.from });
    return rel;
  };
  const pg = p.source.postgres;
  // A PostgreSQL source is read in place, as a run reads it; a file is staged first.
  const source: SqlRelation = pg
    ? { from: sourceRelation(pg), fields: inputs.fields }
    : relationOf(p.source.path ?? `pipeline ${p.source.pipeline}`, { source: p }, inputs.fields);
  if (pg)
    list.push({
      input: `PostgreSQL ${pg.table !== undefined ? `table ${pg.table}` : 'query'} on connection ${pg.connection}`,
      relation: source.from,
    });
  const sides = (ref: SideRef): SqlRelation =>
    relationOf(sideName(ref), ref, inputs.sides.get(sideName(ref))!.fields);
  try {
    const compiled = compileSteps(p.steps, source, sides);
    return { sql: compiled.sql, columns: compiled.fields, inputs: list, local_only: [] };
  } catch (e) {
    if (e instanceof StepConfigError)
      throw new ApiFailure('bad_request', `${lp.file}: ${e.message}`);
    if (!(e instanceof LocalOnlyError)) throw e;
    const all = localOnlySteps(p.steps, source, sides);
    return { sql: null, columns: [], inputs: list, local_only: all.map((x) => x.message) };
  }
}

/**
 * Where a run finds an input, by the names it uses (engine/sql/staged.ts): the source, a CSV file
 * or another pipeline's output file, staged as pg_temp."src"; each joined or unioned table as
 * pg_temp."side <name>". These are the session's own temporary tables, made by each run.
 */
function relationFor(ref: SideRef | { source: Pipeline }, fields: Field[]): SqlRelation {
  return 'source' in ref
    ? stagedRelation(SOURCE_TABLE, fields)
    : stagedRelation(sideTable(ref), fields);
}
