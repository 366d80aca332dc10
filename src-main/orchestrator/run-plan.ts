/**
 * What a run will do, decided before it starts: which pipelines (named ones, what their
 * success triggers, or what a resumed run left undone), for which logical date, reusing what.
 */
import { resolve } from 'node:path';
import type { PipelineReport } from '../../src-shared/recipe/result';
import type { LoadedPipeline, LoadedProject } from '../io/recipe-load';
import type { LogLevel, RunStore } from '../store/store';
import { downstreamOf, orderPipelines, upstreamOf } from './graph';
import { recipeHash } from './recipe-hash';
import { checkRunDate, renderPipeline, RunRequestError, today } from './run-date';

/** What planning reads of a run's options (RunOptions has them all). */
export interface PlanOptions {
  pipelines?: string[];
  runDate?: string;
  resume?: string;
  downstream?: boolean;
  sourceFile?: { pipeline: string; path: string };
}

/** Called with each line written to a run's log. */
export type LogHook = (line: { level: LogLevel; pipeline: string | null; message: string }) => void;

/** The store, with every log line also handed to `onLog` (for live log tails). */
export function withLogHook(store: RunStore, onLog: LogHook | undefined): RunStore {
  if (!onLog) return store;
  const names = new Map<number, string>();
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'createTask')
        return (runId: string, pipeline: string, hash: string, at: string): number => {
          const id = target.createTask(runId, pipeline, hash, at);
          names.set(id, pipeline);
          return id;
        };
      if (prop === 'log')
        return (runId: string, taskId: number | null, level: LogLevel, message: string): void => {
          target.log(runId, taskId, level, message);
          onLog({ level, pipeline: taskId === null ? null : (names.get(taskId) ?? null), message });
        };
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

export interface RunPlan {
  /** The pipelines of this run, in dependency order, with placeholders filled in. */
  selected: LoadedPipeline[];
  /** Every pipeline of the project, placeholders filled in (to find the outputs others read). */
  all: LoadedPipeline[];
  runDate: string;
  /** Results taken over from the run being resumed, by pipeline. */
  reuse: Map<string, PipelineReport>;
  /** Dependents left out, with why. */
  notTriggered: string[];
  /** Pipelines of the resumed run that run again because their recipe changed since, with why. */
  changed: string[];
}

/** What a run will do: which pipelines, for which date, reusing what. */
export function planRun(project: LoadedProject, store: RunStore, opts: PlanOptions): RunPlan {
  const reuse = new Map<string, PipelineReport>();
  let wanted = opts.pipelines;
  let runDate = opts.runDate ? checkRunDate(opts.runDate) : today();
  let resumed: ReturnType<RunStore['getRun']> = null;
  if (opts.resume) {
    const old = (resumed = store.getRun(opts.resume));
    if (!old) throw new RunRequestError(`there is no run ${opts.resume} in ${store.path}`);
    if (resolve(old.run.projectDir) !== resolve(project.dir))
      throw new RunRequestError(
        `run ${opts.resume} is a run of ${old.run.projectDir}, not of ${project.dir}`,
      );
    if (old.run.status === 'running')
      throw new RunRequestError(`run ${opts.resume} has not finished; resume it once it has`);
    runDate = old.run.runDate ?? runDate;
    wanted = [...new Set(old.tasks.map((t) => t.pipeline))];
  }
  const all = project.pipelines.map((lp) => {
    const r = renderPipeline(lp, runDate);
    const f = opts.sourceFile;
    if (f?.pipeline !== lp.pipeline.name) return r;
    return { ...r, pipeline: { ...r.pipeline, source: { ...r.pipeline.source, path: f.path } } };
  });
  let selected = orderPipelines(all, wanted);
  const changed = resumed ? reusable(resumed, selected, reuse) : [];
  const notTriggered: string[] = [];
  // A resumed run runs the pipelines of the run it resumes: no more, no fewer.
  if (opts.downstream && wanted?.length && !resumed) {
    // A dependent runs when each of its upstreams is in this run or has succeeded before.
    const inRun = new Set(wanted);
    const candidates = new Set(wanted.flatMap((w) => [...downstreamOf(w, all)]));
    for (const lp of orderPipelines(all)) {
      const name = lp.pipeline.name;
      if (!candidates.has(name) || inRun.has(name)) continue;
      const missing = upstreamOf(lp.pipeline).find(
        (u) => !inRun.has(u) && !store.lastSucceeded(project.dir, u),
      );
      if (missing) notTriggered.push(`${name} (upstream ${missing} has not succeeded yet)`);
      else inRun.add(name);
    }
    selected = orderPipelines(all, [...inRun]);
  }
  return { selected, all, runDate, reuse, notTriggered, changed };
}

/**
 * Fills `reuse` with what the resumed run's tasks did that still holds: a pipeline that
 * succeeded runs again if its recipe changed since (its hash differs), and so does each
 * pipeline of the run that reads its output. Returns a log line per changed pipeline.
 */
function reusable(
  old: NonNullable<ReturnType<RunStore['getRun']>>,
  selected: LoadedPipeline[],
  reuse: Map<string, PipelineReport>,
): string[] {
  const last = new Map(old.tasks.map((t) => [t.pipeline, t])); // tasks are in id order
  const again = new Set<string>();
  const lines: string[] = [];
  for (const lp of selected) {
    const name = lp.pipeline.name;
    const t = last.get(name);
    if (t?.status !== 'succeeded' || again.has(name)) continue;
    if (t.recipeHash === recipeHash(lp.pipeline)) continue;
    const readers = [...downstreamOf(name, selected)].filter((d) => !again.has(d));
    again.add(name);
    for (const d of readers) again.add(d);
    lines.push(
      `recipe of ${name} changed since ${old.run.id}: it runs again` +
        (readers.length ? `, with ${readers.join(', ')} (reads its output)` : ''),
    );
  }
  for (const t of last.values())
    if ((t.status === 'succeeded' || t.status === 'skipped') && t.report && !again.has(t.pipeline))
      reuse.set(t.pipeline, { ...t.report, status: t.status, reusedFrom: old.run.id });
  return lines;
}
