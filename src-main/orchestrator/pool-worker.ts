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

const emit = (e: TaskEvent): void => port.postMessage(e);

/**
 * Emits the answer `work` gives; a failure is an answer too (a file that cannot be read, a key
 * the data does not have, a step that does not fit): the caller shows why.
 */
function answer(
  ctl: AbortController,
  work: Promise<TaskEvent>,
  cancelled: (e: unknown) => boolean = () => false,
): void {
  // An answer that cannot be sent (postMessage refused it) is a failure to report too.
  work
    .then(emit)
    .catch((e: unknown) =>
      emit({
        type: 'failed',
        message: (e as Error)?.message ?? String(e),
        cancelled: cancelled(e),
      }),
    )
    .finally(() => {
      if (current === ctl) current = null;
    });
}

function onCommand(m: WorkerCommand): void {
  if (m.type === 'cancel') {
    current?.abort();
    return;
  }
  const ctl = new AbortController();
  current = ctl;
  if (m.type === 'profile') {
    const { path, settings, sampleRows } = m.task;
    return answer(
      ctl,
      import('./profile-split')
        .then(({ profileFileSplit }) => profileFileSplit(path, settings, sampleRows))
        .then((result) => ({ type: 'profile', result })),
    );
  }
  if (m.type === 'keys')
    return answer(
      ctl,
      import('../io/key-check')
        .then(({ checkKey }) => checkKey(m.task))
        .then((result) => ({ type: 'keys', result })),
    );
  if (m.type === 'scan')
    return answer(
      ctl,
      import('../preview/side-scan')
        .then(({ scanSide }) => scanSide(m.task))
        .then((result) => ({ type: 'scan', result })),
    );
  if (m.type === 'preview') {
    let cancelled: (e: unknown) => boolean = () => false;
    return answer(
      ctl,
      Promise.all([import('../preview/step-preview'), import('../preview/changes')]).then(
        async ([{ previewStep, PreviewCancelled }, { findChanges }]) => {
          cancelled = (e) => e instanceof PreviewCancelled;
          const meta = await previewStep(m.task, ctl.signal, (rows) =>
            emit({ type: 'preview.rows', rows }),
          );
          return { type: 'preview', result: await findChanges(m.task.dir, meta) };
        },
      ),
      (e) => cancelled(e),
    );
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
