/**
 * A worker thread of the pool: runs one pipeline task at a time and streams its events. Started
 * with a read-ahead job (read-ahead.ts), the same script is a run's read-ahead thread instead;
 * with a profile share (profile-split.ts), the helper thread of a profile.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { debugLog } from '../io/debug-log';
import { profileFileSplit } from './profile-split';
import { checkKey } from '../io/key-check';
import { findChanges } from '../preview/changes';
import { scanSide } from '../preview/side-scan';
import { PreviewCancelled, previewStep } from '../preview/step-preview';
import { withCpuProfile } from './cpu-profile';
import { runTask, type TaskEvent, type WorkerCommand } from './task';
import { serveReadAhead, type ReadAheadJob } from './read-ahead-worker';
import { serveProfileShare, type ProfileShareJob } from './profile-split-worker';

if (!parentPort) throw new Error('pipeline-worker runs only as a worker thread');
const port = parentPort;

let current: AbortController | null = null;

const job = workerData as { readAhead?: ReadAheadJob; profileShare?: ProfileShareJob } | null;
if (job?.readAhead) void serveReadAhead(job.readAhead, port);
else if (job?.profileShare) void serveProfileShare(job.profileShare, port);
else port.on('message', onCommand);

function onCommand(m: WorkerCommand): void {
  if (m.type === 'cancel') {
    current?.abort();
    return;
  }
  const ctl = new AbortController();
  current = ctl;
  const emit = (e: TaskEvent): void => port.postMessage(e);
  if (m.type === 'profile') {
    // A file that cannot be read is an answer too: the caller shows why.
    profileFileSplit(m.task.path, m.task.settings, m.task.sampleRows)
      .then((result) => emit({ type: 'profile', result }))
      .catch((e: unknown) =>
        emit({ type: 'failed', message: (e as Error)?.message ?? String(e), cancelled: false }),
      )
      .finally(() => {
        if (current === ctl) current = null;
      });
    return;
  }
  if (m.type === 'keys') {
    // A key the data does not have, or a file that cannot be read, is an answer too.
    checkKey(m.task)
      .then((result) => emit({ type: 'keys', result }))
      .catch((e: unknown) =>
        emit({ type: 'failed', message: (e as Error)?.message ?? String(e), cancelled: false }),
      )
      .finally(() => {
        if (current === ctl) current = null;
      });
    return;
  }
  if (m.type === 'scan') {
    // A side that cannot be scanned (the preview was deleted under it) is an answer too.
    scanSide(m.task)
      .then((result) => emit({ type: 'scan', result }))
      .catch((e: unknown) =>
        emit({ type: 'failed', message: (e as Error)?.message ?? String(e), cancelled: false }),
      )
      .finally(() => {
        if (current === ctl) current = null;
      });
    return;
  }
  if (m.type === 'preview') {
    // A preview's failures (a step that does not fit, a missing file) are answers, not crashes.
    previewStep(m.task, ctl.signal, (rows) => emit({ type: 'preview.rows', rows }))
      .then((meta) => findChanges(m.task.dir, meta))
      .then((result) => emit({ type: 'preview', result }))
      .catch((e: unknown) =>
        emit({
          type: 'failed',
          message: (e as Error)?.message ?? String(e),
          cancelled: e instanceof PreviewCancelled,
        }),
      )
      .finally(() => {
        if (current === ctl) current = null;
      });
    return;
  }
  // With a profile to write, the report waits until it is written: the run may end, and close
  // its workers, as soon as the report is heard.
  let report: TaskEvent | null = null;
  const held = (e: TaskEvent): void => void (e.type === 'done' ? (report = e) : emit(e));
  const unprofiled = (e: unknown): void =>
    emit({
      type: 'log',
      level: 'warn',
      message: `no CPU profile written to ${m.task.profile}: ${(e as Error)?.message ?? String(e)}`,
    });
  withCpuProfile(
    m.task.profile,
    () => runTask(m.task, m.task.profile ? held : emit, ctl.signal),
    unprofiled,
  )
    .then(() => report && emit(report))
    .catch((e: unknown) => {
      // runPipeline turns failures into reports; anything here is a bug worth its stack.
      emit({
        type: 'log',
        level: 'error',
        message: `worker ${threadId}: ${(e as Error)?.message ?? String(e)} (the stack trace is in ${debugLog(`worker ${threadId}`, e)})`,
      });
      throw e;
    })
    .finally(() => {
      if (current === ctl) current = null;
    });
}
