/** Recipe digests: a run and each of its tasks record exactly which recipe produced them. */
import { createHash } from 'node:crypto';
import type { LoadedPipeline } from '../io/recipe-load';
import type { TaskRecipe } from '../store/store';
import { retarget, type Target } from './retarget';

/** A digest of exactly the recipe that ran (project settings and every pipeline, parsed). */
export function recipeHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/**
 * The recipe a task of `lp` runs (placeholders filled for the run's date): its text, and a
 * digest of the pipeline as it runs. Outputs sent elsewhere by `--target postgres` make
 * another recipe, so a resume never reuses a load into one database beside loads into another.
 * For SQLite runs the digest is the one tasks recorded before recipes were kept.
 */
export function taskRecipe(lp: LoadedPipeline, target: Target | undefined): TaskRecipe {
  const spec = JSON.stringify(retarget(lp.pipeline, target));
  return { hash: createHash('sha256').update(spec).digest('hex'), text: lp.text, spec };
}
