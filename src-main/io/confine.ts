/**
 * Where a recipe may read and write. A recipe is text anyone with the API key can save, so the
 * paths it names are confined to the project, its data folder and the folders the person at
 * the desktop or the command line allowed (`allow_paths` in sluice.yaml, `--allow-path`).
 * Paths are compared after symbolic links are resolved: a link in data/ that points outside
 * is outside. Some files are never written whatever is allowed: sluice.yaml, the recipes and
 * Sluice's own files (the run store, the API key).
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';

/** Plain data, so it crosses to worker threads with a task. */
export interface PathPolicy {
  projectDir: string;
  /** Where source paths resolve (the project's `data`, or `--data`). */
  dataDir: string;
  /** Other folders the user allowed, absolute. */
  allowed: string[];
  /** Files and folders no recipe may write, absolute. */
  protected: string[];
}

export class PathRefused extends Error {
  constructor(
    /** What the path is for ("the source", "the output"). */
    readonly what: string,
    readonly path: string,
    /** Why it is refused, without the path. */
    readonly reason: string,
  ) {
    super(`${what} ${path} ${reason}`);
  }
}

/**
 * The path with symbolic links resolved; for a path that does not exist yet, its nearest
 * existing folder resolved and the rest appended.
 */
export function realPath(path: string): string {
  const abs = resolve(path);
  const rest: string[] = [];
  let at = abs;
  for (;;) {
    try {
      return rest.length
        ? join(realpathSync.native(at), ...rest.reverse())
        : realpathSync.native(at);
    } catch {
      const up = dirname(at);
      if (up === at) return abs;
      rest.push(basename(at));
      at = up;
    }
  }
}

/** macOS and Windows file systems ignore case by default: SLUICE.YAML is sluice.yaml there. */
const fold = (p: string): string =>
  process.platform === 'darwin' || process.platform === 'win32' ? p.toLowerCase() : p;

const within = (pathArg: string, rootArg: string): boolean => {
  const [path, root] = [fold(pathArg), fold(rootArg)];
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
};

/** Whether `path` is `root` or inside it, links resolved. */
export function isInside(path: string, root: string): boolean {
  return within(realPath(path), realPath(root));
}

function roots(policy: PathPolicy): string[] {
  return [policy.projectDir, policy.dataDir, ...policy.allowed].map(realPath);
}

function describeRoots(policy: PathPolicy): string {
  const extra = policy.allowed.length ? `, ${policy.allowed.join(', ')}` : '';
  return `the project (${policy.projectDir}), its data folder (${policy.dataDir})${extra}`;
}

function confined(policy: PathPolicy, path: string, what: string): string {
  const real = realPath(path);
  if (!roots(policy).some((r) => within(real, r)))
    throw new PathRefused(
      what,
      path,
      `${real !== resolve(path) ? `(a link to ${real}) ` : ''}is outside ${describeRoots(policy)}; ` +
        'to use it, add its folder to allow_paths in sluice.yaml or pass --allow-path',
    );
  return real;
}

/** A file a recipe reads, resolved against `base` (default: the data folder); refused outside. */
export function readablePath(
  policy: PathPolicy,
  path: string,
  what = 'the file',
  base = policy.dataDir,
): string {
  const abs = isAbsolute(path) ? path : resolve(base, path);
  confined(policy, abs, what);
  return abs;
}

/** A file a recipe writes, resolved against the project folder; refused outside or protected. */
export function writablePath(policy: PathPolicy, path: string, what = 'the output'): string {
  const abs = isAbsolute(path) ? path : resolve(policy.projectDir, path);
  const real = confined(policy, abs, what);
  const hit = policy.protected.find((p) => within(real, realPath(p)));
  if (hit)
    throw new PathRefused(
      what,
      path,
      `would overwrite ${hit}: a recipe never writes sluice.yaml, the recipes or Sluice's own files`,
    );
  return abs;
}
