/**
 * A pool of worker threads that run pipeline tasks, one task per worker at a time. Workers are
 * started when first needed and kept for the pool's life. A task streams its events back; a
 * cancelled task is asked to stop (its sinks roll back) and, if it has not within the grace
 * period, its worker is terminated and replaced.
 *
 * Hand-written rather than piscina: tasks here stream events for their whole life and are
 * cancelled gracefully first, which a request/response pool does not model.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PipelineReport } from '../../src-shared/recipe/result';
import type { PreviewMeta, PreviewTask } from '../preview/step-preview';
import type { FileProfile } from '../io/profile-file';
import type { KeyCheckResult, KeyCheckTask } from '../io/key-check';
import type { ScanResult, ScanTask } from '../preview/side-scan';
import { SPARE_STARTED } from './read-ahead-spare';
import type { PipelineTask, ProfileTask, TaskEvent, WorkerCommand } from './task';
import { workerScript } from './worker-script';

export { setWorkerScript } from './worker-script';

/** A task's worker died under it; `worker` is its thread id (to find what it left behind). */
export class WorkerCrash extends Error {
  constructor(
    message: string,
    readonly worker?: number,
  ) {
    super(message);
  }
}

/** A preview that could not be computed (a step that does not fit its columns, say). */
export class PreviewFailed extends Error {}

/** A file that could not be profiled (its encoding is wrong, say); the message says why. */
export class ProfileFailed extends Error {}

/**
 * A task stopped by terminating its worker after it did not stop in the grace period; `worker`
 * (its thread id) and `stopped` tell what it may have left behind, and when it is gone.
 */
export class WorkerTerminated extends Error {
  constructor(
    message: string,
    readonly worker?: number,
    /** Settles once the thread is gone. */
    readonly stopped?: Promise<unknown>,
  ) {
    super(message);
  }
}

/**
 * A worker's young generation, in MB. A run's garbage is a batch's worth at a time, so a
 * smaller nursery than V8's default (up to 48 MB) costs little time and saves resident memory
 * that a run of millions of rows needs for its keys.
 */
const YOUNG_MB = 8;

interface Slot {
  worker: Worker;
  busy: boolean;
}

export interface TaskOutcome {
  report: PipelineReport;
  /** The thread id of the worker that ran the task. */
  worker: number;
}

/** A worker started before any pool asked for one (prestartWorker), for the first to take. */
let early: Worker | null = null;

/**
 * Starts a worker of the default script now, while this thread still loads the project and
 * plans the run: loading the worker's code (a few hundred ms) then overlaps that work instead
 * of following it. The first pool to need a worker takes it; an untaken one holds nothing open.
 * `spareNow`: this thread has its code loaded already (`sluice import --run`), so the worker
 * starts its read-ahead spare at once rather than after its own code (read-ahead-spare.ts), and
 * the promise settles once it has: threads take the malloc arenas of threads that ended (the
 * profile's, which keep the pages it freed) in the order they first allocate, and a directory
 * read of the run's project on one of libuv's pool threads took one before the spare did (the
 * run's part of a 10M `import --run` then held 295-314 MB, against 255-266 for `sluice run`).
 */
export function prestartWorker(o: { spareNow?: boolean } = {}): Promise<void> {
  if (early) return Promise.resolve();
  // It expects a run: it starts a read-ahead thread too (read-ahead-spare.ts).
  const worker = startWorker(workerScript(), o.spareNow ? 'now' : true);
  // One that fails before a pool takes it is not taken: the pool starts its own, whose failure
  // it hears (an 'error' with no listener would end this process instead).
  const gone = (): void => {
    if (early === worker) early = null;
  };
  worker.once('error', gone);
  worker.once('exit', gone);
  early = worker;
  if (!o.spareNow) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const said = (m: { type?: unknown }): void => {
      if (m?.type !== SPARE_STARTED) return;
      worker.off('message', said);
      resolve();
    };
    worker.on('message', said);
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
  });
}

/** `readAheadSpare`: start a read-ahead spare once its code is loaded, or 'now' (read-ahead-spare.ts). */
function startWorker(script: URL | string, readAheadSpare: boolean | 'now' = false): Worker {
  // Told its own script, a worker can start a helper thread (a run's read-ahead).
  const path = script instanceof URL ? fileURLToPath(script) : script;
  const worker = new Worker(script, {
    workerData: { script: path, ...(readAheadSpare ? { readAheadSpare } : {}) },
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB },
  });
  worker.unref();
  return worker;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(
    readonly size: number,
    private readonly opts: { script?: URL | string; graceMs?: number } = {},
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`a pool needs 1 or more workers, not ${size}`);
  }

  private spawn(): Slot {
    let worker: Worker;
    if (this.opts.script === undefined && early) {
      worker = early;
      early = null;
    } else worker = startWorker(this.opts.script ?? workerScript());
    const slot: Slot = { worker, busy: false };
    this.slots.push(slot);
    return slot;
  }

  private async acquire(): Promise<Slot> {
    for (;;) {
      if (this.closed) throw new Error('the worker pool is closed');
      // Taken here, in the same turn as it is found, so two callers never share a worker.
      const slot =
        this.slots.find((s) => !s.busy) ?? (this.slots.length < this.size ? this.spawn() : null);
      if (slot) {
        slot.busy = true;
        slot.worker.ref(); // a busy worker keeps the process alive; an idle one does not
        return slot;
      }
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  private release(slot: Slot, replace: boolean): void {
    if (replace) {
      this.slots.splice(this.slots.indexOf(slot), 1);
      void slot.worker.terminate();
    } else {
      slot.busy = false;
      slot.worker.unref();
    }
    this.waiting.shift()?.();
  }

  /** Runs a task on a free worker; events arrive through `onEvent` until the report. */
  async run(
    task: PipelineTask,
    onEvent: (e: TaskEvent) => void,
    signal?: AbortSignal,
  ): Promise<TaskOutcome> {
    return this.exec({ type: 'run', task }, onEvent, signal, (e, worker) =>
      e.type === 'done' ? { report: e.report, worker } : undefined,
    );
  }

  /** Computes a step's preview on a free worker; `onRows` hears how far it has read. */
  async preview(
    task: PreviewTask,
    signal?: AbortSignal,
    onRows?: (rows: number) => void,
  ): Promise<PreviewMeta> {
    return this.exec(
      { type: 'preview', task },
      (e) => {
        if (e.type === 'preview.rows') onRows?.(e.rows);
      },
      signal,
      (e) => {
        if (e.type === 'preview') return e.result;
        if (e.type === 'failed')
          throw e.cancelled ? new WorkerTerminated(e.message) : new PreviewFailed(e.message);
        return undefined;
      },
    );
  }

  /** Profiles a file on a free worker; a file that cannot be read fails with ProfileFailed. */
  async profile(task: ProfileTask): Promise<FileProfile> {
    return this.exec(
      { type: 'profile', task },
      () => undefined,
      undefined,
      (e) => {
        if (e.type === 'profile') return e.result;
        if (e.type === 'failed') throw new ProfileFailed(e.message);
        return undefined;
      },
    );
  }

  /** Counts the rows that repeat a key over a whole file; a failure is a ProfileFailed. */
  async checkKey(task: KeyCheckTask): Promise<KeyCheckResult> {
    return this.exec(
      { type: 'keys', task },
      () => undefined,
      undefined,
      (e) => {
        if (e.type === 'keys') return e.result;
        if (e.type === 'failed') throw new ProfileFailed(e.message);
        return undefined;
      },
    );
  }

  /** Scans a side of a computed preview with facets (side-scan.ts) on a free worker. */
  async scan(task: ScanTask): Promise<ScanResult> {
    return this.exec(
      { type: 'scan', task },
      () => undefined,
      undefined,
      (e) => {
        if (e.type === 'scan') return e.result;
        if (e.type === 'failed') throw new PreviewFailed(e.message);
        return undefined;
      },
    );
  }

  /**
   * Sends a command to a free worker and passes on its events until `settle` returns a value
   * (or throws) for one of them.
   */
  private async exec<T>(
    command: WorkerCommand,
    onEvent: (e: TaskEvent) => void,
    signal: AbortSignal | undefined,
    settle: (e: TaskEvent, worker: number) => T | undefined,
  ): Promise<T> {
    const slot = await this.acquire();
    const { worker } = slot;
    const id = worker.threadId;
    let broken = false;
    try {
      return await new Promise<T>((resolve, reject) => {
        let timer: NodeJS.Timeout | null = null;
        const cleanup = (): void => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
          signal?.removeEventListener('abort', onAbort);
          if (timer) clearTimeout(timer);
        };
        const onMessage = (e: TaskEvent): void => {
          onEvent(e);
          let out: T | undefined;
          try {
            out = settle(e, id);
          } catch (err) {
            cleanup();
            return reject(err);
          }
          if (out !== undefined) {
            cleanup();
            resolve(out);
          }
        };
        const onError = (e: Error): void => {
          broken = true;
          cleanup();
          reject(new WorkerCrash(`worker ${id} failed: ${e.message}`, id));
        };
        const onExit = (code: number): void => {
          broken = true;
          cleanup();
          reject(new WorkerCrash(`worker ${id} exited (code ${code}) during the task`, id));
        };
        const onAbort = (): void => {
          worker.postMessage({ type: 'cancel' } satisfies WorkerCommand);
          timer = setTimeout(() => {
            broken = true;
            cleanup();
            reject(
              new WorkerTerminated(
                `worker ${id} did not stop in time and was terminated`,
                id,
                worker.terminate(),
              ),
            );
          }, this.opts.graceMs ?? 700);
        };
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        signal?.addEventListener('abort', onAbort, { once: true });
        worker.postMessage(command);
        if (signal?.aborted) onAbort();
      });
    } finally {
      this.release(slot, broken);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w();
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }
}
