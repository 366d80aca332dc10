/**
 * Runs of one pipeline writing the same outputs, started side by side in this process (two
 * API requests, a schedule and a click), queue instead of racing: each waits for the one
 * started before it. Across processes, outputs stay whole on their own (each writer has its
 * own temporary file, renamed at commit; SQLite loads take the database's write lock).
 */
import { resolve } from 'node:path';
import type { Pipeline } from '../../src-shared/recipe/pipeline';

const lanes = new Map<string, Promise<unknown>>();

/** The lane of a pipeline as it will run: its project, name and (rendered) outputs. */
export function laneOf(projectDir: string, p: Pipeline): string {
  return JSON.stringify([resolve(projectDir), p.name, p.outputs]);
}

/** Runs `f` once every earlier run in `lane` has settled; `onWait` hears that it has to wait. */
export function inLane<T>(lane: string, f: () => Promise<T>, onWait: () => void): Promise<T> {
  const before = lanes.get(lane);
  if (before) onWait();
  const mine = (before ?? Promise.resolve()).then(f);
  const settled = mine.then(
    () => undefined,
    () => undefined,
  );
  lanes.set(lane, settled);
  void settled.then(() => {
    if (lanes.get(lane) === settled) lanes.delete(lane);
  });
  return mine;
}
