/**
 * Which script starts a pipeline worker thread: from the sources, worker-entry.mjs beside this
 * file (which loads the built worker or, failing that, the TypeScript one through tsx); the
 * desktop app sets its built worker instead. A worker is told its own script (workerData), so
 * that it can start a helper thread of its own (the read-ahead of a run, read-ahead.ts).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';

let script: string = join(dirname(fileURLToPath(import.meta.url)), 'worker-entry.mjs');

export function setWorkerScript(path: string): void {
  script = path;
}

/** The script that starts a worker: the one this thread was started with, if it was. */
export function workerScript(): string {
  const own = (workerData as { script?: unknown } | null)?.script;
  return typeof own === 'string' ? own : script;
}
