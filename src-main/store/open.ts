/**
 * Where the run store is opened: the CLI, the service and the desktop app call these, and hand
 * the store to what needs it (the orchestrator never opens one). Whoever opens it closes it.
 */
import { isAbsolute, resolve } from 'node:path';
import type { LoadedProject } from '../io/recipe-load';
import { defaultStorePath } from './paths';
import { openStore } from './sqlite-store';
import type { RunStore } from './store';

/** The store a project's runs go to: `--store`, else the project's `store:`, else the user's. */
export function storePathFor(project: LoadedProject | null, override?: string): string {
  if (override) return resolve(override);
  if (project?.project.store)
    return isAbsolute(project.project.store)
      ? project.project.store
      : resolve(project.dir, project.project.store);
  return defaultStorePath();
}

/** Opens the store of `project` (or, without one, `override` or the user's); see storePathFor. */
export function openRunStore(project: LoadedProject | null, override?: string): RunStore {
  return openStore(storePathFor(project, override));
}

/**
 * Runs `f` with the store open, and closes it when `f` is done.
 * @example await withRunStore(project, o.store, (store) => runProject(project, store, opts));
 */
export async function withRunStore<T>(
  project: LoadedProject | null,
  override: string | undefined,
  f: (store: RunStore) => T | Promise<T>,
): Promise<T> {
  const store = openRunStore(project, override);
  try {
    return await f(store);
  } finally {
    store.close();
  }
}
