/**
 * A worker thread's script: a thread of the pool (pool-worker.ts) or, started with a read-ahead
 * job (read-ahead.ts), a run's read-ahead thread (read-ahead-worker.ts), or, with a profile share
 * (profile-split.ts), the helper thread of a profile (profile-split-worker.ts). Each loads only its
 * own code, so a read-ahead thread starts reading without first compiling the previews, the
 * sinks and their database drivers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ReadAheadJob } from './read-ahead-worker';

if (!parentPort) throw new Error('pipeline-worker runs only as a worker thread');
const port = parentPort;

// A profile's helper is started before its job is known (profile-helper.ts): the job comes by message.
const job = workerData as { readAhead?: ReadAheadJob; profileShare?: true } | null;
const readAhead = job?.readAhead;
if (readAhead) void import('./read-ahead-worker').then((m) => m.serveReadAhead(readAhead, port));
else if (job?.profileShare)
  void import('./profile-split-worker').then((m) => m.serveProfileShare(port));
else void import('./pool-worker').then((m) => m.servePool(port));
