/**
 * What to open from a path given on the command line, by macOS's open-file, by a drop on the
 * app's icon or by a second launch: a CSV file is imported, a project folder (or its
 * sluice.yaml) is opened, anything else is refused with the reason (the shell tells the user).
 * Pure: the file system is asked through `probe`.
 */
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';

export type OpenTarget =
  | { kind: 'import'; path: string }
  | { kind: 'project'; dir: string }
  | { kind: 'refused'; path: string; reason: string };

/** What a path is on disk: a file, a folder holding a sluice.yaml, another folder, or nothing. */
export type PathKind = 'file' | 'project' | 'folder' | null;

const TABLE_FILES = new Set(['.csv', '.tsv']);

/** The target a single path stands for: what to do with it, or why nothing can be. */
export function targetOf(path: string, probe: (abs: string) => PathKind): OpenTarget {
  const kind = probe(path);
  if (kind === 'project') return { kind: 'project', dir: path };
  if (kind === null) return { kind: 'refused', path, reason: 'it does not exist' };
  if (kind === 'folder')
    return { kind: 'refused', path, reason: 'the folder is not a Sluice project (no sluice.yaml)' };
  if (basename(path) === 'sluice.yaml') return { kind: 'project', dir: dirname(path) };
  if (TABLE_FILES.has(extname(path).toLowerCase())) return { kind: 'import', path };
  return {
    kind: 'refused',
    path,
    reason: 'Sluice opens CSV and TSV files (.csv, .tsv) and project folders',
  };
}

/**
 * The targets among a launch's arguments (those after the app's own: the executable, and in
 * development the app's path), resolved against the launch's folder. Flags are skipped,
 * including those Chromium adds to a second instance's argv.
 * Example: `targetsOf(['--x', 'a.csv'], '/home/me', probe)` → `[{kind:'import', path:'/home/me/a.csv'}]`.
 */
export function targetsOf(
  args: readonly string[],
  cwd: string,
  probe: (abs: string) => PathKind,
): OpenTarget[] {
  return args
    .filter((a) => a && !a.startsWith('-'))
    .map((a) => targetOf(isAbsolute(a) ? a : resolve(cwd, a), probe));
}

/** How many leading argv entries are Electron's own: the executable, plus the app path in development. */
export function ownArgCount(isPackaged: boolean): number {
  return isPackaged ? 1 : 2;
}
