/**
 * Paths handed to the app from outside: the command line, a second launch (which quits and
 * hands its argv to the first), macOS's open-file (also a drop on the dock icon). The file
 * system probe lives here; args.ts decides what each path means.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ownArgCount, targetOf, targetsOf, type OpenTarget, type PathKind } from './args';

export function probePath(path: string): PathKind {
  try {
    const st = statSync(path);
    if (st.isFile()) return 'file';
    if (st.isDirectory()) return existsSync(join(path, 'sluice.yaml')) ? 'project' : 'folder';
  } catch {
    // Gone or unreadable: nothing to open.
  }
  return null;
}

/** The targets in a launch's argv (this process's, or a second instance's). */
export function launchTargets(
  argv: readonly string[],
  cwd: string,
  isPackaged: boolean,
): OpenTarget[] {
  return targetsOf(argv.slice(ownArgCount(isPackaged)), cwd, probePath);
}

/** The target of one absolute path (open-file). */
export function pathTarget(path: string): OpenTarget {
  return targetOf(path, probePath);
}
