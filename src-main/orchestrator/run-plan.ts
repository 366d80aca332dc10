/**
 * What a run will do, decided before it starts: which pipelines (named ones, what their
 * success triggers, or what a resumed run left undone), for which logical date, reusing what.
 */
import { resolve } from 'node:path';
import type { Engine } from '../../src-shared/recipe/pipeline';
import type { PipelineReport } from '../../src-shared/recipe/result';
import type { LoadedPipeline, LoadedProject } from '../io/recipe-load';
import type { LogLevel, RecordsStore, RunsStore } from '../store/store';
import { downstreamOf, orderPipelines, upstreamOf } from './graph';
import { taskRecipe } from './recipe-hash';
import { parseTarget, type Target } from './retarget';
import { checkRunDate, renderPipeline, RunRequestError, today } from './run-date';

/** What planning reads of a run's options (RunOptions has them all). */
export interface PlanOptions {
  pipelines?: string[];
  runDate?: string;
  resume?: string;
  downstream?: boolean;
  sourceFile?: { pipeline: string; path: string };
  /** Where outputs go (`--target`): part of each task's recipe hash. */
  target?: Target;
  /** Where every pipeline's steps run (`--engine`); resuming without one: the resumed run's. */
  engine?: Engine;
}

/** Called with each line written to a run's log. */
export type LogHook = (line: { level: LogLevel; pipeline: string | null; message: string }) => void;

/** The store, with every log line also handed to `onLog` (for live log tails). */
export function withLogHook<S extends RecordsStore & Pick<RunsStore, 'createTask'>>(
  store: S,
  onLog: LogHook | undefined,
): S {
  if (!onLog) return store;
  const names = new Map<number, string>();
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'createTask')
        return (...args: Parameters<RunsStore['createTask']>): number => {
          const id = target.createTask(...args);
          names.set(id, args[1]);
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
  /** Where database loads go: as asked, else (resuming) where the resumed run sent them. */
  target: Target | undefined;
  /** Where every pipeline's steps run: as asked, else (resuming) where the resumed run ran them. */
  engine: Engine | undefined;
}

/** What a run will do: which pipelines, for which date, reusing what. */
export function planRun(project: LoadedProject, store: RunsStore, opts: PlanOptions): RunPlan {
  const reuse = new Map<string, PipelineReport>();
  let wanted = opts.pipelines;
  let runDate = opts.runDate ? checkRunDate(opts.runDate) : today();
  let resumed: ReturnType<RunsStore['getRun']> = null;
  let target = opts.target;
  let engine = opts.engine;
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
    const recorded = parseTarget(old.run.target);
    if (recorded === null)
      throw new RunRequestError(
        `run ${opts.resume} recorded its target as "${old.run.target}", which is not sqlite, postgres or postgres:<connection>: resume it with a target (--target or --connection)`,
      );
    target ??= recorded;
    const ran = old.run.engine;
    engine ??= ran === 'local' || ran === 'postgres' ? ran : undefined;
  }
  const all = project.pipelines.map((lp) => {
    const r = renderPipeline(lp, runDate);
    const f = opts.sourceFile;
    if (f?.pipeline !== lp.pipeline.name) return r;
    return { ...r, pipeline: { ...r.pipeline, source: { ...r.pipeline.source, path: f.path } } };
  });
  let selected = orderPipelines(all, wanted);
  const changed = resumed ? reusable(resumed, selected, reuse, target) : [];
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
  return { selected, all, runDate, reuse, notTriggered, changed, target, engine };
}

/**
 * Fills `reuse` with what the resumed run's tasks did that still holds, so the run never mixes
 * outputs of two versions of a recipe: a pipeline that succeeded runs again if its recipe
 * changed since (its hash differs: the recipes table keeps both texts), and so does each
 * pipeline of the run downstream of one that runs again, for whatever reason. A pipeline
 * skipped by hand stays skipped. Returns a log line per pipeline that runs again although it
 * succeeded.
 */
function reusable(
  old: NonNullable<ReturnType<RunsStore['getRun']>>,
  selected: LoadedPipeline[],
  reuse: Map<string, PipelineReport>,
  target: Target | undefined,
): string[] {
  const last = new Map(old.tasks.map((t) => [t.pipeline, t])); // tasks are in id order
  const names = new Set(selected.map((lp) => lp.pipeline.name));
  const lines: string[] = [];
  /** Each changed pipeline, with the ones downstream that run again because of it. */
  const changed = new Map<string, { was: string; now: string; with: string[] }>();
  /** A pipeline that runs again because a recipe changed: the changed one. */
  const rootOf = new Map<string, string>();
  for (const lp of selected) {
    // In dependency order: whether each upstream of `lp` in the run runs again is known by now.
    const name = lp.pipeline.name;
    const t = last.get(name);
    if (!t?.report || (t.status !== 'succeeded' && t.status !== 'skipped')) continue;
    const { report, status } = t;
    const reused = (): void => {
      reuse.set(name, { ...report, status, reusedFrom: old.run.id });
    };
    if (t.status === 'skipped') {
      reused();
      continue;
    }
    const now = taskRecipe(lp, target).hash;
    if (t.recipeHash !== now) {
      changed.set(name, { was: t.recipeHash, now, with: [] });
      rootOf.set(name, name);
      continue;
    }
    const up = upstreamOf(lp.pipeline).find((u) => names.has(u) && !reuse.has(u));
    if (up === undefined) {
      reused();
      continue;
    }
    const root = rootOf.get(up);
    if (root === undefined)
      lines.push(`${name} succeeded in ${old.run.id} but runs again: its upstream ${up} does`);
    else {
      changed.get(root)!.with.push(name);
      rootOf.set(name, root);
    }
  }
  const recipeLines = [...changed].map(
    ([name, c]) =>
      `recipe of ${name} changed since ${old.run.id} (${c.was.slice(0, 12)} -> ${c.now.slice(0, 12)}): it runs again` +
      (c.with.length ? `, with ${c.with.join(', ')} (downstream of it)` : ''),
  );
  return [...recipeLines, ...lines];
}
