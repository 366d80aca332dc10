/**
 * What killed runs leave behind: the scratch databases of SQLite loads, the rows PostgreSQL
 * full loads keep for a replay, and the temporary files of CSV outputs. A run removes those of dead processes before it starts (never a live one's).
 */
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import type { Pipeline } from '../../src-shared/recipe/pipeline';
import type { LoadedPipeline } from '../io/recipe-load';
import { removeStaleTemps } from '../io/csv-write';
import { removeStaleSpills } from '../sinks/postgres-spill';
import { removeStaleStages } from '../sinks/sqlite-sink';

/** Removes the leftovers of dead processes for these pipelines' outputs; returns their paths. */
export function removeLeftovers(projectDir: string, pipelines: LoadedPipeline[]): string[] {
  const folders = new Set<string>();
  for (const lp of pipelines)
    for (const o of lp.pipeline.outputs)
      if (o.kind === 'csv')
        folders.add(dirname(isAbsolute(o.path) ? o.path : resolve(projectDir, o.path)));
  return [
    ...removeStaleStages(),
    ...removeStaleSpills(),
    ...[...folders].flatMap((d) => removeStaleTemps(d)),
  ];
}

/**
 * Removes what a task's terminated (or crashed) worker thread left: its scratch databases, kept
 * rows and the temporary files of the pipeline's CSV outputs (runs of one pipeline's outputs queue in
 * a process, so this process's temporary files of them are that task's).
 */
export function removeTaskLeftovers(projectDir: string, p: Pipeline, thread: number): string[] {
  const removed = [
    ...removeStaleStages(undefined, thread),
    ...removeStaleSpills(undefined, thread),
  ];
  for (const o of p.outputs) {
    if (o.kind !== 'csv') continue;
    const path = isAbsolute(o.path) ? o.path : resolve(projectDir, o.path);
    removed.push(...removeStaleTemps(dirname(path), basename(path)));
  }
  return removed;
}
