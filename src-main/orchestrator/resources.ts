/**
 * Where a project's pipelines find their inputs: source files under the data folder, other
 * pipelines' outputs, and the tables joins read whole.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Pipeline } from '../../src-shared/recipe/pipeline';
import type { SideRef } from '../engine/step';
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
}

export function projectResources(
  projectDir: string,
  dataDir: string,
  pipelines: LoadedPipeline[],
): Resources {
  const fromData = (path: string): string => (isAbsolute(path) ? path : resolve(dataDir, path));
  const outputOf = (name: string): string => {
    const p = pipelines.find((x) => x.pipeline.name === name);
    if (!p) throw new SourceError(`there is no pipeline named "${name}"`, name);
    const out = p.pipeline.outputs.find((o) => o.kind === 'csv');
    if (!out) throw new SourceError(`pipeline ${name} writes no CSV output to read`, name);
    return isAbsolute(out.path) ? out.path : resolve(projectDir, out.path);
  };
  const sidePath = (ref: SideRef): string =>
    'pipeline' in ref ? outputOf(ref.pipeline) : fromData(ref.csv);
  return {
    sourcePath: (p) => (p.source.pipeline ? outputOf(p.source.pipeline) : fromData(p.source.path!)),
    sidePath,
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
