/**
 * A read-ahead thread started before a run needs one (read-ahead.ts takes it). A thread takes
 * a while to start and load its code, and a run's reading waits for it: started when the pool's
 * worker has loaded its code, the spare loads while the main thread loads the project and the
 * run is planned, and the run's first batches are read as soon as it sends the job. Only a worker told to
 * expect a run (`sluice run`: worker-pool.ts's prestartWorker) starts one; unused, it holds
 * nothing open and goes when its worker does.
 *
 * Only node:worker_threads here: the pool's worker imports this before its own code.
 */
import { Worker } from 'node:worker_threads';

/**
 * The read-ahead thread's young generation, in MB. Its garbage is a few batches' cells at a
 * time: with 4 MB, batches still in the steps were promoted and the old generation's
 * collections took a quarter of the thread's time (the busier of a run's two); 16 MB collects
 * them young, and the run's peak memory came out lower, not higher (V8's default is up to 48 MB).
 */
export const READ_AHEAD_YOUNG_MB = 16;

/** What a spare's worker data says: wait for the job (a `{ type: 'job' }` message). */
export interface SpareData {
  script: string;
  spareReadAhead: true;
}

let spare: Worker | null = null;
let spareScript: string | null = null;

/** Starts a read-ahead thread of `script` that waits for its job. */
export function startSpare(script: string): void {
  if (spare) return;
  const worker = new Worker(script, {
    workerData: { script, spareReadAhead: true } satisfies SpareData,
    resourceLimits: { maxYoungGenerationSizeMb: READ_AHEAD_YOUNG_MB },
  });
  // One that fails before it is taken is not taken (and its 'error' does not end this thread).
  const gone = (): void => {
    if (spare === worker) spare = null;
  };
  worker.once('error', gone);
  worker.once('exit', gone);
  worker.unref();
  spare = worker;
  spareScript = script;
}

/** The spare of `script`, if one was started and is still there; it is no longer spare. */
export function takeSpare(script: string): Worker | null {
  const w = spare;
  if (!w || spareScript !== script) return null;
  spare = null;
  w.ref();
  return w;
}

/**
 * Starts the spare when this thread's worker data asks for one (`readAheadSpare`): `when`
 * 'loaded' is called once the worker's own code is loaded, 'start' before it loads; a spare
 * asked for 'now' starts at the first, one asked for `true` at the second. Returns whether it
 * started one.
 */
export function startSpareIfAsked(data: unknown, when: 'start' | 'loaded'): boolean {
  const d = data as { script?: unknown; readAheadSpare?: unknown } | null;
  if (typeof d?.script !== 'string') return false;
  if (d.readAheadSpare !== (when === 'start' ? 'now' : true)) return false;
  startSpare(d.script);
  return true;
}

/** What a pool worker says once it has started a spare asked for 'now' (prestartWorker waits). */
export const SPARE_STARTED = 'spare-started';
