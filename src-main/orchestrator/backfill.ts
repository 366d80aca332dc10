/**
 * Backfill: one run per day of a date range for the named pipelines, at most `parallel` runs
 * at a time. Each run has that day as its logical date, so `{{ run_date }}` partitions are
 * written (or, on a re-run of the day, replaced) one per day.
 */
import type { RunReport } from '../../src-shared/recipe/result';
import type { LoadedProject } from '../io/recipe-load';
import type { RecordsStore, RunsStore } from '../store/store';
import { daysBetween, RunRequestError } from './run-date';
import { runProject, type RunOptions } from './run-project';

export interface BackfillOptions extends Omit<RunOptions, 'runDate' | 'resume' | 'trigger'> {
  from: string;
  to: string;
  parallel?: number;
  onRunDone?(r: RunReport): void;
  /** Hooks for each run of its own (runs side by side must not share per-run state). */
  hooksPerRun?(): Partial<RunOptions>;
}

/** Records each day's run in `store`, which the caller opened and closes. */
export async function backfill(
  project: LoadedProject,
  store: RunsStore & RecordsStore,
  opts: BackfillOptions,
): Promise<RunReport[]> {
  const days = daysBetween(opts.from, opts.to);
  const parallel = opts.parallel ?? 1;
  if (!Number.isInteger(parallel) || parallel < 1)
    throw new RunRequestError(`--parallel must be a whole number of 1 or more, not ${parallel}`);
  const reports: RunReport[] = new Array(days.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < days.length && !opts.signal?.aborted) {
      const i = next++;
      reports[i] = await runProject(project, store, {
        ...opts,
        ...opts.hooksPerRun?.(),
        runDate: days[i],
        trigger: 'backfill',
        workers: opts.workers ?? 1,
      });
      opts.onRunDone?.(reports[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, days.length) }, lane));
  return reports.filter(Boolean);
}
