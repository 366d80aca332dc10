/**
 * A run's read-ahead: the source is read, and the first steps of the pipeline run, on a thread
 * of their own (read-ahead-worker.ts), while the run's thread takes their batches through the
 * rest of the steps and into the outputs. Both cores work on one run.
 *
 * Which steps go ahead: the leading ones that rewrite cells row by row and keep no state
 * between batches, so that running them on another thread changes nothing but the time. They
 * report, reject and count there exactly as they would here; their reports and rejected rows
 * come back with the batches, in order.
 */
import { Worker } from 'node:worker_threads';
import type { Pipeline } from '../../src-shared/recipe/pipeline';
import type { Step } from '../../src-shared/recipe/steps';
import { BooksError, StepRunError } from '../engine/pipeline';
import { sourceErrorFrom } from '../io/source-error';
import type { ReadAheadJob, ReadAheadMessage } from './read-ahead-worker';
import { READ_AHEAD_YOUNG_MB, takeSpare } from './read-ahead-spare';

/** Step kinds that may run ahead: row by row, nothing held, no other table read. */
const AHEAD = new Set<Step['step']>([
  'trim',
  'nullify',
  'replace',
  'case',
  'parse_dates',
  'parse_numbers',
  'cast',
  'rename',
  'select',
  'drop',
]);

/** Sources smaller than this are read on the run's thread: a thread's start costs more. */
export const READ_AHEAD_MIN_BYTES = 16 << 20;

/**
 * How many of the pipeline's steps (as listed, disabled ones included) run ahead, and how many
 * enabled steps (stages) that is; null when none do.
 */
export function aheadSteps(p: Pipeline): { steps: number; stages: number } | null {
  let steps = 0;
  let stages = 0;
  for (const s of p.steps) {
    if (s.enabled === false) {
      steps++;
      continue;
    }
    if (!AHEAD.has(s.step)) break;
    steps++;
    stages++;
  }
  return stages > 0 ? { steps, stages } : null;
}

export class ReadAhead {
  private readonly worker: Worker;
  private readonly queue: Exclude<ReadAheadMessage, { type: 'error' }>[] = [];
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private ended = false;

  constructor(script: string, job: ReadAheadJob) {
    // A spare already loaded (read-ahead-spare.ts) starts reading at once.
    const spare = takeSpare(script);
    if (spare) spare.postMessage({ type: 'job', job });
    this.worker =
      spare ??
      new Worker(script, {
        workerData: { script, readAhead: job },
        resourceLimits: { maxYoungGenerationSizeMb: READ_AHEAD_YOUNG_MB },
      });
    this.worker.on('message', (m: ReadAheadMessage) => this.arrive(m));
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => {
      if (!this.ended) this.fail(new Error(`the read-ahead thread stopped (exit code ${code})`));
    });
  }

  private arrive(m: ReadAheadMessage): void {
    if (m.type === 'error') this.fail(rebuild(m.error));
    else this.queue.push(m);
    if (m.type === 'done') this.ended = true;
    this.wake?.();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.ended = true;
    this.wake?.();
  }

  /** The batches as they come, then `done`; throws what failed there. */
  async *messages(): AsyncGenerator<Exclude<ReadAheadMessage, { type: 'error' }>> {
    for (;;) {
      const m = this.queue.shift();
      if (m) {
        yield m;
        if (m.type === 'done') return;
        continue;
      }
      if (this.failure) throw this.failure;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
    }
  }

  /** Asks for one more batch (after one was taken). */
  more(): void {
    this.worker.postMessage({ type: 'more' });
  }

  /** Stops the thread (at the end, or when the run stops early). */
  async stop(): Promise<void> {
    this.ended = true;
    await this.worker.terminate();
  }
}

/** The error the read-ahead thread reported, as the class the run's thread knows. */
function rebuild(e: { name: string; message: string; step?: string; path?: string }): Error {
  if (e.name === 'StepRunError' && e.step !== undefined) return new StepRunError(e.message, e.step);
  if (e.name === 'BooksError') return new BooksError(e.message);
  if (e.name === 'SourceError' && e.path !== undefined) return sourceErrorFrom(e.message, e.path);
  return new Error(e.message);
}
