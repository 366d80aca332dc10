/** The paths a project's recipes may use (see io/confine): built once per run, preview or check. */
import { join, resolve, sep } from 'node:path';
import type { PathPolicy } from '../io/confine';
import type { LoadedProject } from '../io/recipe-load';
import { dataHome } from '../store/paths';

export interface PolicyOptions {
  /** `--data`: the folder source paths resolve against instead of the project's `data`. */
  dataDir?: string;
  /** The run store file (never written by a recipe). */
  storePath: string;
  /** Folders allowed on the command line (`--allow-path`) or by the desktop app. */
  allow?: string[];
}

export function pathPolicy(project: LoadedProject, o: PolicyOptions): PathPolicy {
  const dir = project.dir;
  const home = resolve(dataHome());
  const store = resolve(o.storePath);
  return {
    projectDir: dir,
    dataDir: o.dataDir ? resolve(o.dataDir) : resolve(dir, project.project.data),
    allowed: [...project.project.allow_paths.map((p) => resolve(dir, p)), ...(o.allow ?? [])].map(
      (p) => resolve(p),
    ),
    protected: [
      project.file,
      join(dir, 'pipelines'),
      ...['', '-wal', '-shm', '-journal'].map((s) => store + s),
      // Sluice's own folder (API key, recent projects, the default store), unless the project
      // itself lives there.
      ...(dir === home || dir.startsWith(home + sep) ? [] : [home]),
    ],
  };
}
