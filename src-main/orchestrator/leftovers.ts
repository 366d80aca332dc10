/**
 * What killed runs leave behind: the scratch databases of SQLite loads and the temporary files
 * of CSV outputs. A run removes those of dead processes before it starts (never a live one's).
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { LoadedPipeline } from '../io/recipe-load';
import { removeStaleTemps } from '../io/csv-write';
import { removeStaleStages } from '../sinks/sqlite-sink';

/** Removes the leftovers of dead processes for these pipelines' outputs; returns their paths. */
export function removeLeftovers(projectDir: string, pipelines: LoadedPipeline[]): string[] {
  const folders = new Set<string>();
  for (const lp of pipelines)
    for (const o of lp.pipeline.outputs)
      if (o.kind === 'csv')
        folders.add(dirname(isAbsolute(o.path) ? o.path : resolve(projectDir, o.path)));
  return [...removeStaleStages(), ...[...folders].flatMap((d) => removeStaleTemps(d))];
}
