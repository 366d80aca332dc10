/**
 * The scheduling decision of a run, as a pure function of the graph and what has happened so
 * far: which pending pipeline starts now, waits, is skipped (an upstream did not succeed, or
 * the run was cancelled) or takes over its result from the run being resumed.
 */
import type { Pipeline } from '../../src-shared/recipe/pipeline';
import { sourceLabel } from '../../src-shared/recipe/source-label';
import type { PipelineReport } from '../../src-shared/recipe/result';
import { upstreamOf } from './graph';
import { emptyReport } from './run-pipeline';

/** What a run knows when it looks at its pending pipelines. */
export interface RunState {
  /** The pipelines of this run (dependencies outside it are not waited for). */
  inRun: ReadonlySet<string>;
  /** Results taken over from the run being resumed, by pipeline. */
  reuse: ReadonlyMap<string, PipelineReport>;
  /** Pipelines finished (or skipped) so far, by name. */
  reports: ReadonlyMap<string, PipelineReport>;
  /** Pipelines running now, and how many may run at once. */
  running: number;
  workers: number;
  cancelled: boolean;
}

export type Decision =
  | { action: 'start' }
  | { action: 'wait' }
  /** It will not run: the report to record for it (reused, upstream_failed or cancelled). */
  | { action: 'record'; report: PipelineReport };

/** A pipeline that lets its dependents run: it succeeded, or was marked skipped by hand. */
export const satisfied = (r: PipelineReport): boolean =>
  r.status === 'succeeded' || r.status === 'skipped';

/** What to do now with one pending pipeline. */
export function decide(p: Pipeline, s: RunState): Decision {
  const reused = s.reuse.get(p.name);
  if (reused) return { action: 'record', report: reused };
  if (s.cancelled)
    return notRun(p, 'cancelled', 'the run was cancelled before this pipeline started');
  const deps = upstreamOf(p).filter((d) => s.inRun.has(d));
  const failed = deps.find((d) => s.reports.has(d) && !satisfied(s.reports.get(d)!));
  if (failed)
    return notRun(
      p,
      'upstream_failed',
      `upstream pipeline ${failed} did not succeed (${s.reports.get(failed)!.status})`,
    );
  return s.running < s.workers && deps.every((d) => s.reports.has(d))
    ? { action: 'start' }
    : { action: 'wait' };
}

/**
 * One pass over the pending pipelines, in order: each decision counts for the ones after it
 * (a start takes a worker; a recorded report can let a dependent start or skip it). Returns
 * the pipelines that do not wait, with what to do.
 */
export function decideRound(
  pending: readonly Pipeline[],
  state: RunState,
): { pipeline: Pipeline; decision: Exclude<Decision, { action: 'wait' }> }[] {
  const reports = new Map(state.reports);
  let running = state.running;
  const out: { pipeline: Pipeline; decision: Exclude<Decision, { action: 'wait' }> }[] = [];
  for (const p of pending) {
    const d = decide(p, { ...state, reports, running });
    if (d.action === 'wait') continue;
    if (d.action === 'start') running++;
    else reports.set(p.name, d.report);
    out.push({ pipeline: p, decision: d });
  }
  return out;
}

/** The report of a pipeline that did not run. */
function notRun(
  p: Pipeline,
  status: 'upstream_failed' | 'cancelled',
  message: string,
): { action: 'record'; report: PipelineReport } {
  const source = sourceLabel(p.source);
  return {
    action: 'record',
    report: { ...emptyReport(p.name, source, status), error: { code: status, message } },
  };
}
