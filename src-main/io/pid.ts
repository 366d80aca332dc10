import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a process of this computer still runs: how files and runs of killed processes are told apart. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes the files in `dir` whose names match `pattern` and that `stale` says nobody needs any
 * more (their process is gone, say); returns their paths. A missing folder holds nothing.
 */
export function removeFilesNobodyNeeds(
  dir: string,
  pattern: RegExp,
  stale: (m: RegExpExecArray) => boolean,
): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m || !stale(m)) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(join(dir, name));
  }
  return removed;
}
