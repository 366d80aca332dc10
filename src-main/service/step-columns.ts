/**
 * Each step's input and output columns, from the recipe alone: the source's header (or the
 * typed output of the pipeline it reads), then every step planned in turn without a row run.
 * Forms need this while the recipe is being written, so a step that does not parse or fit
 * does not stop the rest: it says why and passes its input on.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { Result } from '../../src-shared/api/contract';
import { SourceSettings, type Pipeline } from '../../src-shared/recipe/pipeline';
import { Step } from '../../src-shared/recipe/steps';
import { STEPS } from '../engine/steps/index';
import { StepConfigError, type PlanContext, type SideRef, type StepImpl } from '../engine/step';
import { emptyBatch, type Batch, type Field } from '../engine/table';
import { openCsv, SourceError } from '../io/csv-read';
import { inferColumns } from '../io/typed-read';
import { projectResources } from '../orchestrator/resources';
import { renderPipeline, today } from '../orchestrator/run-date';
import type { ProjectContext } from './context';
import { ApiFailure } from './errors';

export type StepColumns = Result<'pipelines.columns'>;

/** The columns, and each step as the recipe writes it (for checks that read its settings). */
export type PlannedColumns = StepColumns & { written: unknown[] };

/** A recipe as far as it parses: its source settings and each step as written. */
interface RawRecipe {
  file: string;
  source: SourceSettings;
  steps: unknown[];
}

/** The saved recipe, or the unsaved `yaml`, read leniently (steps are checked one by one). */
function rawRecipe(svc: ProjectContext, name: string, yaml: string | undefined): RawRecipe {
  const lp = svc.project.pipelines.find((p) => p.pipeline.name === name);
  if (!lp && yaml === undefined)
    throw new ApiFailure('not_found', `the project has no pipeline named "${name}"`);
  const text = yaml ?? readFileSync(resolve(svc.project.dir, lp!.file), 'utf8');
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new ApiFailure('bad_request', `the recipe is not YAML: ${(e as Error).message}`);
  }
  const obj = (doc ?? {}) as { source?: unknown; steps?: unknown };
  const source = SourceSettings.safeParse(obj.source);
  if (!source.success)
    throw new ApiFailure('bad_request', `the recipe's source: ${source.error.issues[0].message}`);
  const file = lp?.file ?? `pipelines/${name}.yaml`;
  // Placeholders ({{ ds }}) in paths are filled as a run today would fill them.
  const rendered = renderPipeline(
    {
      file,
      text: '',
      pipeline: { name, source: source.data, steps: [], outputs: [] } as unknown as Pipeline,
    },
    today(),
  ).pipeline;
  return { file, source: rendered.source, steps: Array.isArray(obj.steps) ? obj.steps : [] };
}

/** Column types of whole files, kept while the file is unchanged (inference reads every row). */
const typedFiles = new Map<string, { stamp: string; fields: Field[] }>();

async function typedColumns(path: string): Promise<Field[]> {
  let stamp: string;
  try {
    const st = statSync(path);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch {
    throw new SourceError('file not found (has the pipeline that writes it run yet?)', path);
  }
  const hit = typedFiles.get(path);
  if (hit?.stamp === stamp) return hit.fields;
  const fields = (await inferColumns(path)).map(({ name, type }) => ({ name, type }));
  typedFiles.set(path, { stamp, fields });
  if (typedFiles.size > 32) typedFiles.delete(typedFiles.keys().next().value!);
  return fields;
}

/** A problem in plain words: a schema issue's message with where it is in the step. */
function schemaProblem(issues: { path: PropertyKey[]; message: string }[]): string {
  const i = issues[0];
  const at = i.path.map(String).join('.');
  return at ? `${at}: ${i.message}` : i.message;
}

/** Every step's input and output columns for pipeline `name` (or the unsaved `yaml`). */
export async function stepColumns(
  svc: ProjectContext,
  name: string,
  yaml: string | undefined,
): Promise<PlannedColumns> {
  await svc.reload();
  const recipe = rawRecipe(svc, name, yaml);
  const resources = projectResources(
    svc.paths(),
    svc.project.pipelines.map((x) => ({ ...x, text: '' })),
  );
  let fields: Field[];
  try {
    const path = resources.sourcePath({ source: recipe.source } as Pipeline);
    fields = recipe.source.pipeline
      ? await typedColumns(path)
      : (await openCsv(path, recipe.source)).info.columns.map((n) => ({
          name: n,
          type: 'string' as const,
        }));
  } catch (e) {
    if (e instanceof SourceError) throw new ApiFailure('bad_request', `source ${e.message}`);
    throw e;
  }
  const sides = new Map<string, Batch>();
  const sideOf = async (ref: SideRef): Promise<Batch> => {
    const key = JSON.stringify(ref);
    if (!sides.has(key)) sides.set(key, emptyBatch(await typedColumns(resources.sidePath(ref))));
    return sides.get(key)!;
  };
  const source = fields;
  const steps: StepColumns['steps'] = [];
  for (const [i, raw] of recipe.steps.entries()) {
    const input = fields;
    const kind = String((raw as { step?: unknown } | null)?.step ?? '');
    const enabled = (raw as { enabled?: unknown } | null)?.enabled !== false;
    let problem: string | null = null;
    const parsed = Step.safeParse(raw);
    if (!parsed.success) problem = schemaProblem(parsed.error.issues);
    else if (enabled) {
      const step = parsed.data;
      try {
        const side = step.step === 'join' || step.step === 'union' ? await sideOf(step.with) : null;
        const ctx: PlanContext = { side: () => side!, previousNotes: () => undefined };
        const impl = STEPS[step.step] as StepImpl;
        fields = impl.plan(step, input, ctx).fields;
      } catch (e) {
        if (e instanceof StepConfigError || e instanceof SourceError) problem = e.message;
        else throw e;
      }
    }
    steps.push({ index: i + 1, kind, enabled, input, output: fields, problem });
  }
  return { source, steps, written: recipe.steps };
}
