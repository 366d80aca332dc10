/**
 * `sluice import --run`'s import, on a thread of its own (import-worker.ts), so that what it
 * leaves goes with the thread before the run starts. Done on the main thread, it left 120-170 MB
 * resident after 10M rows beside the run that followed (400-420 MB at the peak, against 264 for
 * `sluice run` alone): memory freed but not given back by the allocator (the batches' buffers,
 * freed by the helper thread in another order than they were made) and V8's pages. A thread's
 * heap goes with it, and the run's threads, started once it has ended, take up what its
 * allocations had. It costs the 1M-row bench file 50-100 ms (the thread's start).
 */
import { Worker } from 'node:worker_threads';
import type { ImportResult } from './import';
import { failureOf, type ImportJob, type ImportMessage } from './import-worker';
import { workerScript } from '../orchestrator/worker-script';

/** importFiles on another thread; settles once that thread has ended. */
export function importOnThread(job: ImportJob): Promise<ImportResult> {
  const script = workerScript();
  const worker = new Worker(script, { workerData: { script, importJob: job } });
  let said: ImportMessage | null = null;
  let failure: Error | null = null;
  worker.once('message', (m: ImportMessage) => {
    said = m;
    // Its heap goes now; the result is copied here.
    void worker.terminate();
  });
  worker.on('error', (e) => (failure ??= e));
  return new Promise<ImportResult>((resolve, reject) => {
    worker.once('exit', (code) => {
      const m = said as ImportMessage | null;
      if (m?.type === 'done') resolve(m.result);
      else if (m) reject(failureOf(m));
      else reject(failure ?? new Error(`the import's thread stopped (exit code ${code})`));
    });
  });
}
