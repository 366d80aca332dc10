/**
 * One pipeline of a run on the worker pool, with its retry policy: each attempt may time out;
 * a failed attempt is retried after a delay that grows by the backoff factor; only the last
 * attempt's rejected rows are kept, and every attempt is in the log.
 */
import type { Pipeline, Project } from '../../src-shared/recipe/pipeline';
import type { PipelineReport } from '../../src-shared/recipe/result';
import type { LogLevel, RejectRow } from '../store/store';
import { removeTaskLeftovers } from './leftovers';
import { emptyReport, type Progress } from './run-pipeline';
import type { PipelineTask } from './task';
import { WorkerCrash, WorkerTerminated, type WorkerPool } from './worker-pool';

export interface RetryPolicy {
  retries: number;
  delayMs: number;
  backoff: number;
  timeoutMs?: number;
}

export function policyOf(p: Pipeline, d: Project['defaults']): RetryPolicy {
  const timeout = p.timeout ?? d.timeout;
  return {
    retries: p.retries ?? d.retries,
    delayMs: (p.retry_delay ?? d.retry_delay) * 1000,
    backoff: p.retry_backoff ?? d.retry_backoff,
    ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
  };
}

export interface AttemptHooks {
  log(level: LogLevel, message: string): void;
  rejects(rows: RejectRow[]): void;
  progress?(p: Progress): void;
  /** The run's cancel signal. */
  signal?: AbortSignal;
}

/** Waits `ms`, or less when the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function runWithRetries(
  pool: WorkerPool,
  task: PipelineTask,
  policy: RetryPolicy,
  hooks: AttemptHooks,
): Promise<PipelineReport> {
  const name = task.pipeline.name;
  const firstStart = new Date().toISOString();
  let delay = policy.delayMs;
  for (let attempt = 1; ; attempt++) {
    const report = await attemptOnce(pool, task, policy, hooks, attempt);
    report.startedAt = firstStart;
    report.attempts = attempt;
    const failed = report.status === 'failed' && !hooks.signal?.aborted;
    if (!failed || attempt > policy.retries) {
      if (report.status === 'failed' && report.error)
        hooks.log(
          'error',
          `${name} failed${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${report.error.message}` +
            (report.error.step ? ` (step ${report.error.step})` : ''),
        );
      return report;
    }
    hooks.log(
      'warn',
      `${name}: attempt ${attempt} of ${policy.retries + 1} failed (${report.error?.message}); retrying in ${(delay / 1000).toFixed(delay < 1000 ? 2 : 0)} s`,
    );
    await sleep(delay, hooks.signal);
    delay *= policy.backoff;
    if (hooks.signal?.aborted) {
      const cancelled = emptyReport(name, report.source.path, 'cancelled');
      return {
        ...cancelled,
        startedAt: firstStart,
        attempts: attempt,
        error: {
          code: 'cancelled',
          message: `${name} was cancelled before attempt ${attempt + 1}`,
        },
      };
    }
  }
}

async function attemptOnce(
  pool: WorkerPool,
  task: PipelineTask,
  policy: RetryPolicy,
  hooks: AttemptHooks,
  attempt: number,
): Promise<PipelineReport> {
  const name = task.pipeline.name;
  const ctl = new AbortController();
  let timedOut = false;
  const cancel = (): void => ctl.abort();
  hooks.signal?.addEventListener('abort', cancel, { once: true });
  if (hooks.signal?.aborted) ctl.abort();
  const timer =
    policy.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          ctl.abort();
        }, policy.timeoutMs)
      : null;
  let rejects: RejectRow[] = [];
  /** Rows the task had read by its last progress report (all that is known if it dies). */
  let read = 0;
  const startedAt = new Date().toISOString();
  let report: PipelineReport;
  try {
    const out = await pool.run(
      task,
      (e) => {
        if (e.type === 'log') hooks.log(e.level, e.message);
        // One message with all of them (spreading a large array would overflow the stack).
        else if (e.type === 'rejects') rejects = rejects.length ? rejects.concat(e.rows) : e.rows;
        else if (e.type === 'progress') {
          read = e.progress.rows;
          hooks.progress?.(e.progress);
        }
      },
      ctl.signal,
    );
    report = { ...out.report, worker: out.worker };
  } catch (e) {
    if (!(e instanceof WorkerCrash || e instanceof WorkerTerminated)) throw e;
    // The thread could not roll its outputs back: their scratch files go now, and again once
    // the thread is surely gone (it may have opened one more in its last moments).
    if (e.worker !== undefined) {
      const sweep = (): number => {
        try {
          return removeTaskLeftovers(task.projectDir, task.pipeline, e.worker!).length;
        } catch {
          return 0; // still open (Windows): the next run removes it
        }
      };
      const n = sweep();
      if (n) hooks.log('info', `removed ${n} scratch file(s) of the stopped worker`);
      if (e instanceof WorkerTerminated) void e.stopped?.then(sweep, sweep);
    }
    const base = emptyReport(name, task.pipeline.source.path ?? '', 'failed', startedAt);
    // It ran, or waited on a lock, until now: its bar in the window spans that time.
    base.finishedAt = new Date().toISOString();
    // Its worker is gone with its counts: it read at least this much, and wrote nothing.
    base.rowsIn = base.source.rowsRead = base.rowsNotWritten = read;
    report =
      e instanceof WorkerTerminated
        ? {
            ...base,
            status: 'cancelled',
            error: { code: 'cancelled', message: `${name} was cancelled (${e.message})` },
          }
        : { ...base, error: { code: 'worker', message: e.message } };
  } finally {
    if (timer) clearTimeout(timer);
    hooks.signal?.removeEventListener('abort', cancel);
  }
  if (timedOut) {
    report.status = 'failed';
    report.error = {
      code: 'timeout',
      message: `${name} timed out: attempt ${attempt} ran longer than ${policy.timeoutMs! / 1000} s`,
    };
  }
  hooks.rejects(rejects);
  return report;
}
