/** A step's preview as the service computes it: the recipe checked, then cached by what it reads. */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { Pipeline } from '../../src-shared/recipe/pipeline';
import { sidesOf } from '../engine/step';
import { formatIssue, parseYaml } from '../io/recipe-load';
import { projectResources } from '../orchestrator/resources';
import { renderPipeline, today } from '../orchestrator/run-date';
import { PreviewFailed, WorkerTerminated } from '../orchestrator/worker-pool';
import type { ProjectContext, WorkContext } from './context';
import { ApiFailure } from './errors';
import type { CachedPreview } from './preview-cache';

/**
 * The preview of step `step` (1-based) of pipeline `name`, or of the unsaved recipe `yaml`:
 * kept from before when neither the steps up to it nor the files they read have changed.
 */
export async function computedPreview(
  svc: ProjectContext & WorkContext,
  name: string,
  step: number,
  yaml: string | undefined,
): Promise<CachedPreview> {
  await svc.reload();
  const lp = svc.project.pipelines.find((p) => p.pipeline.name === name);
  if (!lp && yaml === undefined)
    throw new ApiFailure('not_found', `the project has no pipeline named "${name}"`);
  let pipeline = lp?.pipeline;
  if (yaml !== undefined) {
    const parsed = parseYaml(lp?.file ?? `pipelines/${name}.yaml`, yaml, Pipeline);
    if (!parsed.ok)
      throw new ApiFailure(
        'bad_request',
        `the recipe has errors: ${parsed.issues.map(formatIssue).join('; ')}`,
        { issues: parsed.issues },
      );
    pipeline = parsed.value;
  }
  const rendered = renderPipeline(
    { file: lp?.file ?? '', text: '', pipeline: pipeline! },
    today(),
  ).pipeline;
  if (step > rendered.steps.length)
    throw new ApiFailure(
      'bad_request',
      `pipeline ${name} has ${rendered.steps.length} steps; there is no step ${step}`,
    );
  const pipelines = svc.project.pipelines.map((x) => ({ ...x, text: '' }));
  const steps = rendered.steps.slice(0, step);
  const resources = projectResources(svc.paths(), pipelines);
  let files: string[];
  try {
    files = [resources.sourcePath(rendered), ...sidesOf(steps).map((r) => resources.sidePath(r))];
  } catch (e) {
    throw new ApiFailure('bad_request', (e as Error).message);
  }
  const stamp = (f: string): unknown => {
    try {
      const st = statSync(f);
      return [f, st.size, st.mtimeMs];
    } catch {
      return [f, null];
    }
  };
  const key = createHash('sha256')
    .update(JSON.stringify({ name, source: rendered.source, steps, files: files.map(stamp) }))
    .digest('hex');

  const pool = svc.workers();
  const replaced = (): ApiFailure =>
    new ApiFailure('conflict', 'a newer preview of this pipeline replaced this one');
  return svc.previewCache.get(name, key, (dir, signal) =>
    pool
      .preview(
        {
          paths: svc.paths(),
          pipelines,
          pipeline: { ...rendered, steps },
          step: step - 1,
          dir,
        },
        signal,
        (rows) => svc.emit({ type: 'preview.progress', pipeline: name, step, rows }),
      )
      .catch((e: unknown) => {
        if (e instanceof WorkerTerminated || signal.aborted) throw replaced();
        if (e instanceof PreviewFailed) throw new ApiFailure('bad_request', e.message);
        throw e;
      }),
  );
}
