/**
 * What to open from a path given on the command line, by macOS's open-file, by a drop on the
 * app's icon or by a second launch: a CSV file is imported, a project folder (or its
 * sluice.yaml) is opened, anything else is ignored. Pure: the file system is asked through
 * `probe`.
 */
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';

export type OpenTarget = { kind: 'import'; path: string } | { kind: 'project'; dir: string };

/** What a path is on disk: a file, a folder holding a sluice.yaml, another folder, or nothing. */
export type PathKind = 'file' | 'project' | 'folder' | null;

const TABLE_FILES = new Set(['.csv', '.tsv']);

/** The target a single path stands for, or null. */
export function targetOf(path: string, probe: (abs: string) => PathKind): OpenTarget | null {
  const kind = probe(path);
  if (kind === 'project') return { kind: 'project', dir: path };
  if (kind !== 'file') return null;
  if (basename(path) === 'sluice.yaml') return { kind: 'project', dir: dirname(path) };
  if (TABLE_FILES.has(extname(path).toLowerCase())) return { kind: 'import', path };
  return null;
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
  const out: OpenTarget[] = [];
  for (const a of args) {
    if (!a || a.startsWith('-')) continue;
    const t = targetOf(isAbsolute(a) ? a : resolve(cwd, a), probe);
    if (t) out.push(t);
  }
  return out;
}

/** How many leading argv entries are Electron's own: the executable, plus the app path in development. */
export function ownArgCount(isPackaged: boolean): number {
  return isPackaged ? 1 : 2;
}
