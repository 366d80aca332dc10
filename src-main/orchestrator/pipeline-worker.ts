/**
 * A worker thread's script: a thread of the pool (pool-worker.ts) or, started with a read-ahead
 * job (read-ahead.ts), a run's read-ahead thread (read-ahead-worker.ts), or, with a profile share
 * (profile-split.ts), the helper thread of a profile (profile-split-worker.ts), or, with a profile
 * job, a profile on a thread of its own (profile-thread.ts). Each loads only its
 * own code, so a read-ahead thread starts reading without first compiling the previews, the
 * sinks and their database drivers. A spare read-ahead thread (read-ahead-spare.ts) loads its
 * code first and then waits for its job; a pool worker told to expect a run starts one once it
 * has loaded its own code.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ReadAheadJob } from './read-ahead-worker';
import { SPARE_STARTED, startSpareIfAsked, type SpareData } from './read-ahead-spare';

if (!parentPort) throw new Error('pipeline-worker runs only as a worker thread');
const port = parentPort;

// A profile's helper is started before its job is known (profile-helper.ts): the job comes by message.
const job = workerData as
  | ({ readAhead?: ReadAheadJob; profileShare?: true; profileJob?: string } & Partial<SpareData>)
  | null;
const readAhead = job?.readAhead;
if (readAhead) void import('./read-ahead-worker').then((m) => m.serveReadAhead(readAhead, port));
else if (job?.spareReadAhead) {
  // Listening now: the job may come before the code is loaded.
  const given = new Promise<ReadAheadJob>((r) =>
    port.once('message', (m: { type: 'job'; job: ReadAheadJob }) => r(m.job)),
  );
  void Promise.all([import('./read-ahead-worker'), given]).then(([m, j]) =>
    m.serveReadAhead(j, port),
  );
} else if (job?.profileJob !== undefined) {
  const path = job.profileJob;
  void import('./profile-thread').then((m) => m.serveProfile(path, port));
} else if (job?.profileShare)
  void import('./profile-split-worker').then((m) => m.serveProfileShare(port));
else {
  // The spare starts once this thread's code is loaded: started sooner, its loading took a
  // core from the main thread's, which the run waits for more. When the main thread has its
  // code loaded already, it is asked for now, and loads beside this thread's code.
  if (startSpareIfAsked(workerData, 'start')) port.postMessage({ type: SPARE_STARTED });
  void import('./pool-worker').then((m) => {
    m.servePool(port);
    startSpareIfAsked(workerData, 'loaded');
  });
}
