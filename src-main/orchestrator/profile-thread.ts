/**
 * A file's profile on a thread of its own, which ends once it has answered (`sluice import
 * --run` profiles so). On the main thread a profile of 10M rows left 120-170 MB resident beside
 * the run that followed (395-424 MB at the peak, against 264 for `sluice run` alone): freed
 * buffers that the allocator kept (the batches', freed by the helper thread in another order than
 * they were made) and V8's pages. A thread's heap goes with it, and the run's threads take up the
 * memory its allocations had. Not a pool worker (WorkerPool.profile): their young generation is
 * capped at 8 MB for runs, and profiling under that cap took 0.27 CPU s more at 1M (median of 10).
 */
import { Worker, type MessagePort } from 'node:worker_threads';
import type { FileProfile } from '../io/profile-file';
import { SourceError, sourceErrorFrom } from '../io/source-error';
import { READ_AHEAD_YOUNG_MB } from './read-ahead-spare';
import { workerScript } from './worker-script';

/**
 * The profile thread's young generation, in MB: the read-ahead thread's, as it reads the same
 * way. V8's default (up to 48 MB) held about 19 MB more of V8's pages through the profile, and
 * the 10M one-command peak came out 11 MB lower with the cap (medians of 8 alternated runs,
 * 267 -> 256 MB); 1M took the same time (3.06 and 3.11 s, 4.55 and 4.56 s of CPU, medians of 5).
 */
const PROFILE_YOUNG_MB = READ_AHEAD_YOUNG_MB;

type Answer =
  | { type: 'done'; profile: FileProfile }
  | { type: 'failed'; message: string; path?: string; stack?: string };

/** Profiles `path` over all its rows on a new thread; settles once that thread has ended. */
export function profileOnThread(path: string): Promise<FileProfile> {
  const script = workerScript();
  const worker = new Worker(script, {
    workerData: { script, profileJob: path },
    resourceLimits: { maxYoungGenerationSizeMb: PROFILE_YOUNG_MB },
  });
  let said: Answer | null = null;
  let failure: Error | null = null;
  worker.once('message', (m: Answer) => {
    said = m;
    void worker.terminate();
  });
  worker.on('error', (e) => (failure ??= e));
  return new Promise<FileProfile>((resolve, reject) => {
    worker.once('exit', (code) => {
      const m = said as Answer | null;
      if (m?.type === 'done') return resolve(m.profile);
      if (m?.path !== undefined) return reject(sourceErrorFrom(m.message, m.path));
      if (m) return reject(Object.assign(new Error(m.message), { stack: m.stack }));
      reject(failure ?? new Error(`the profile's thread stopped (exit code ${code})`));
    });
  });
}

/** The thread's side: profiles the file and answers once. */
export async function serveProfile(path: string, port: MessagePort): Promise<void> {
  let m: Answer;
  try {
    const { profileFileSplit } = await import('./profile-split');
    m = { type: 'done', profile: await profileFileSplit(path) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    m = {
      type: 'failed',
      message: err.message,
      path: e instanceof SourceError ? e.path : undefined,
      stack: err.stack,
    };
  }
  port.postMessage(m);
}
