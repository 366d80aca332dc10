/**
 * A worker thread's script: a thread of the pool (pool-worker.ts) or, started with a read-ahead
 * job (read-ahead.ts), a run's read-ahead thread (read-ahead-worker.ts). Each loads only its
 * own code, so a read-ahead thread starts reading without first compiling the previews, the
 * sinks and their database drivers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ReadAheadJob } from './read-ahead-worker';

if (!parentPort) throw new Error('pipeline-worker runs only as a worker thread');
const port = parentPort;

const readAhead = (workerData as { readAhead?: ReadAheadJob } | null)?.readAhead;
if (readAhead) void import('./read-ahead-worker').then((m) => m.serveReadAhead(readAhead, port));
else void import('./pool-worker').then((m) => m.servePool(port));
