/**
 * `pipelines.explain`: the SQL a pipeline's steps compile to (engine/sql), over the tables a run
 * on PostgreSQL reads: its CSV source and joined files staged with COPY into the `sluice_stage`
 * schema (with each row's line number, which keeps the file's order), another pipeline's output
 * from the table it loads into PostgreSQL, when it has one.
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
import { ident } from '../engine/sql/text';
import type { Field } from '../engine/table';
import { SourceError } from '../io/csv-read';
import { projectResources } from '../orchestrator/resources';
import type { ProjectContext } from './context';
import { ApiFailure } from './errors';
import { inputsOf } from './validate';

/** The schema a run on PostgreSQL stages files into. */
export const STAGE_SCHEMA = 'sluice_stage';

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
    inputs = await inputsOf(p, resources);
  } catch (e) {
    if (e instanceof SourceError) throw new ApiFailure('bad_request', `source ${e.message}`);
    throw e;
  }
  if (p.source.postgres)
    throw new ApiFailure(
      'bad_request',
      `${name} reads PostgreSQL ${p.source.postgres.table ?? 'query'}: explain works from files' columns so far, not yet from a server's`,
    );
  if ('waiting' in inputs)
    throw new ApiFailure(
      'bad_request',
      `${name} reads ${inputs.waiting.join(', ')}, not written yet: run it first`,
    );
  const list: Result<'pipelines.explain'>['inputs'] = [];
  const relationOf = (
    input: string,
    ref: SideRef | { source: Pipeline },
    fields: Field[],
  ): SqlRelation => {
    const rel = relationFor(
      ref,
      svc.project.pipelines.map((x) => x.pipeline),
      fields,
      name,
    );
    if (!list.some((x) => x.input === input)) list.push({ input, relation: rel.from });
    return rel;
  };
  const source = relationOf(
    p.source.path ?? `pipeline ${p.source.pipeline}`,
    { source: p },
    inputs.fields,
  );
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

/** Where the SQL finds an input: a pipeline's PostgreSQL output, or a staged file. */
function relationFor(
  ref: SideRef | { source: Pipeline },
  pipelines: Pipeline[],
  fields: Field[],
  self: string,
): SqlRelation {
  const upstream =
    'source' in ref ? ref.source.source.pipeline : 'pipeline' in ref ? ref.pipeline : undefined;
  if (upstream) {
    const out = pipelines
      .find((x) => x.name === upstream)
      ?.outputs.find((o) => o.kind === 'postgres');
    if (out && out.kind === 'postgres')
      return { from: `${ident(out.schema)}.${ident(out.table)}`, fields };
    return staged(`${upstream}.output`, fields);
  }
  if ('csv' in ref) return staged(`${self}.${ref.csv}`, fields);
  return staged(self, fields);
}

function staged(table: string, fields: Field[]): SqlRelation {
  return { from: `${ident(STAGE_SCHEMA)}.${ident(table)}`, fields, order: ident('_line') };
}
