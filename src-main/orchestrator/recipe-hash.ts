/** Recipe digests: a run and each of its tasks record exactly which recipe produced them. */
import { createHash } from 'node:crypto';

/** A digest of exactly the recipe that ran (project settings and every pipeline, parsed). */
export function recipeHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
