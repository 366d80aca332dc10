/** Recently opened projects, newest first, kept in the user's data folder (state.json). */
import { writeFileAtomic } from '../io/atomic-write';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { dataHome } from '../store/paths';

const statePath = (): string => join(dataHome(), 'state.json');

/** As saved, folders gone since included. */
function savedProjects(): string[] {
  try {
    const s = JSON.parse(readFileSync(statePath(), 'utf8')) as { recentProjects?: unknown };
    return Array.isArray(s.recentProjects)
      ? s.recentProjects.filter((p): p is string => typeof p === 'string')
      : [];
  } catch {
    return [];
  }
}

/** The projects to offer, newest first: those whose folder is still there. */
export function recentProjects(): string[] {
  return savedProjects().filter((p) => existsSync(p));
}

/** The project opened last, even when its folder is gone (so the app can say so at start). */
export function lastProject(): string | undefined {
  return savedProjects()[0];
}

export function rememberProject(dir: string): void {
  const list = [resolve(dir), ...recentProjects().filter((p) => p !== resolve(dir))].slice(0, 10);
  const path = statePath();
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, JSON.stringify({ recentProjects: list }, null, 2));
}
