/**
 * Where a project's pipelines find their inputs: source files under the data folder, other
 * pipelines' outputs, and the tables joins read whole.
 */
import { existsSync } from 'node:fs';
import type { Pipeline } from '../../src-shared/recipe/pipeline';
import { PathRefused, readablePath, writablePath, type PathPolicy } from '../io/confine';
import { sidesOf, type SideRef } from '../engine/step';
import type { Batch } from '../engine/table';
import { SourceError } from '../io/csv-read';
import type { LoadedPipeline } from '../io/recipe-load';
import { loadTypedTable } from '../io/typed-read';

export interface Resources {
  /** The absolute path of a pipeline's source file. */
  sourcePath(p: Pipeline): string;
  /** The whole table a join reads, typed. */
  loadSide(ref: SideRef): Promise<Batch>;
  /** The path of a side table, or null when it is another pipeline's output not yet written. */
  sidePath(ref: SideRef): string;
  /** Where an output file goes: relative to the project, refused outside it or over its recipes. */
  outputPath(path: string): string;
}

/** A path a recipe names that it may not use (see io/confine). */
export class RecipePathError extends SourceError {}

/** Every path is checked against `policy`: a path outside is a SourceError saying why. */
export function projectResources(policy: PathPolicy, pipelines: LoadedPipeline[]): Resources {
  const checked = (f: () => string): string => {
    try {
      return f();
    } catch (e) {
      if (e instanceof PathRefused) throw new RecipePathError(`${e.what} ${e.reason}`, e.path);
      throw e;
    }
  };
  const fromData = (path: string): string =>
    checked(() => readablePath(policy, path, 'the source'));
  const outputOf = (name: string): string => {
    const p = pipelines.find((x) => x.pipeline.name === name);
    if (!p) throw new SourceError(`there is no pipeline named "${name}"`, name);
    const out = p.pipeline.outputs.find((o) => o.kind === 'csv');
    if (!out) throw new SourceError(`pipeline ${name} writes no CSV output to read`, name);
    return checked(() =>
      readablePath(policy, out.path, `the output of ${name}`, policy.projectDir),
    );
  };
  const sidePath = (ref: SideRef): string =>
    'pipeline' in ref ? outputOf(ref.pipeline) : fromData(ref.csv);
  return {
    sourcePath: (p) => {
      const pg = p.source.postgres;
      // Only a run reads a PostgreSQL source; what reads files (previews, profiles) says so.
      if (pg)
        throw new SourceError(
          'is a PostgreSQL source: only runs read it, previews and checks of its rows do not yet',
          pg.table ?? `query "${pg.query}"`,
        );
      return p.source.pipeline ? outputOf(p.source.pipeline) : fromData(p.source.path!);
    },
    sidePath,
    outputPath: (path) => checked(() => writablePath(policy, path)),
    async loadSide(ref) {
      const path = sidePath(ref);
      if ('pipeline' in ref && !existsSync(path))
        throw new SourceError(
          `pipeline ${ref.pipeline} has not written its output yet: run it first (list it in depends_on)`,
          path,
        );
      return loadTypedTable(path);
    },
  };
}

/**
 * Checks every path a recipe names (source, joined files, output files, watched folder)
 * against `policy`; throws a SourceError for the first one outside.
 */
export function checkRecipePaths(
  policy: PathPolicy,
  pipelines: LoadedPipeline[],
  p: Pipeline,
): void {
  const r = projectResources(policy, pipelines);
  if (p.source.path) r.sourcePath(p);
  for (const ref of sidesOf(p.steps)) if ('csv' in ref) r.sidePath(ref);
  for (const o of p.outputs) if (o.kind !== 'postgres' && o.path) r.outputPath(o.path);
  if (p.watch) {
    const folder = p.watch.folder;
    try {
      readablePath(policy, folder, 'the watched folder');
    } catch (e) {
      if (e instanceof PathRefused) throw new RecipePathError(`${e.what} ${e.reason}`, folder);
      throw e;
    }
  }
}
