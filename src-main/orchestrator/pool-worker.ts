/**
 * A worker thread of the pool (pipeline-worker.ts starts it): runs one pipeline task at a time
 * and streams its events. What a run does not need (profiles, key checks, previews) is loaded
 * when first asked for: a run's reading waits for this thread's code to load.
 */
import { threadId, type MessagePort } from 'node:worker_threads';
import { debugLog } from '../io/debug-log';
import { withCpuProfile } from './cpu-profile';
import { runTask, type TaskEvent, type WorkerCommand } from './task';

let current: AbortController | null = null;
let port: MessagePort;

/** Takes the pool's commands from `parent` (the thread's parentPort). */
export function servePool(parent: MessagePort): void {
  port = parent;
  port.on('message', onCommand);
}

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
    import('./profile-split')
      .then(({ profileFileSplit }) =>
        profileFileSplit(m.task.path, m.task.settings, m.task.sampleRows),
      )
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
    import('../io/key-check')
      .then(({ checkKey }) => checkKey(m.task))
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
    import('../preview/side-scan')
      .then(({ scanSide }) => scanSide(m.task))
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
    Promise.all([import('../preview/step-preview'), import('../preview/changes')])
      .then(async ([{ previewStep, PreviewCancelled }, { findChanges }]) => {
        try {
          const meta = await previewStep(m.task, ctl.signal, (rows) =>
            emit({ type: 'preview.rows', rows }),
          );
          emit({ type: 'preview', result: await findChanges(m.task.dir, meta) });
        } catch (e) {
          emit({
            type: 'failed',
            message: (e as Error)?.message ?? String(e),
            cancelled: e instanceof PreviewCancelled,
          });
        }
      })
      .catch((e: unknown) =>
        emit({ type: 'failed', message: (e as Error)?.message ?? String(e), cancelled: false }),
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
