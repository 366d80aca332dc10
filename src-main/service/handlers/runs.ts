/** The API's run methods: list, get and a run's recipes (from the store); start, resume, backfill, cancel. */
import { backfill } from '../../orchestrator/backfill';
import { orderPipelines } from '../../orchestrator/graph';
import { daysBetween } from '../../orchestrator/run-date';
import type { Handlers, ProjectContext, RunContext, StoreContext } from '../context';
import { targetOf, type Target } from '../../orchestrator/retarget';
import { ApiFailure } from '../errors';
import { keychainOf } from './connections';
import { apiPage, queuedOf, runSummary, taskSummary } from '../mappers';

/** What the run store alone answers: runs in the context's scope. */
export function runRecordHandlers(
  ctx: StoreContext,
): Pick<Handlers, 'runs.list' | 'runs.get' | 'runs.recipe'> {
  return {
    'runs.list': async (p) =>
      ctx.withStore((s) => {
        const page = s.listRuns({
          status: p.status,
          pipeline: p.pipeline,
          from: p.from,
          to: p.to,
          projectDir: ctx.scope ?? undefined,
          page: p.page,
          pageSize: p.page_size,
        });
        return apiPage(page, runSummary);
      }),

    'runs.get': async ({ run_id }) =>
      ctx.withStore((s) => {
        const r = ctx.runOf(s, run_id);
        return { run: runSummary(r.run), tasks: r.tasks.map(taskSummary), queued: queuedOf(r) };
      }),

    'runs.recipe': async ({ run_id, pipeline }) =>
      ctx.withStore((s) => {
        const task = ctx
          .runOf(s, run_id)
          .tasks.filter((t) => t.pipeline === pipeline)
          .at(-1);
        if (!task)
          throw new ApiFailure('not_found', `run ${run_id} has no task for pipeline ${pipeline}`);
        const kept = s.recipe(task.recipeHash);
        return {
          pipeline,
          hash: task.recipeHash,
          text: kept?.text ?? null,
          first_seen: kept?.firstSeen ?? null,
        };
      }),
  };
}

/** Runs of the open project, started by this service. */
export function runHandlers(
  ctx: ProjectContext & StoreContext & RunContext,
): Pick<Handlers, 'runs.start' | 'runs.resume' | 'runs.backfill' | 'runs.cancel'> {
  return {
    'runs.start': async (p) => {
      await ctx.reload();
      return ctx.startRun({
        pipelines: p.pipelines,
        downstream: !p.only,
        runDate: p.date,
        target: targetFor(p),
        engine: p.engine,
      });
    },

    'runs.resume': async (p) => {
      await ctx.reload();
      return ctx.startRun({ resume: p.run_id, target: targetFor(p), engine: p.engine });
    },

    'runs.backfill': async (p) => {
      await ctx.reload();
      const days = daysBetween(p.from, p.to);
      if (days.length > 366)
        throw new ApiFailure('bad_request', `${days.length} days: backfill a year at most at once`);
      orderPipelines(ctx.project.pipelines, p.pipelines); // names every unknown pipeline now
      const cancel = new AbortController();
      const done = backfill(ctx.project, ctx.store(), {
        pipelines: p.pipelines,
        from: p.from,
        to: p.to,
        parallel: p.parallel,
        downstream: !p.only,
        engine: p.engine,
        dataDir: ctx.opts.dataDir,
        allow: ctx.opts.allow,
        password: ctx.opts.password ?? keychainOf(ctx.opts).password,
        signal: cancel.signal,
        hooksPerRun: () => ctx.runHooks(),
      });
      ctx.track(done, cancel);
      return { days };
    },

    'runs.cancel': async ({ run_id }) => {
      const c = ctx.active.get(run_id);
      if (c) {
        c.abort();
        return { cancelled: true };
      }
      // Another process's run (a terminal's sluice run, another server): its owner looks at the
      // store every second and stops. not_found when there is no such run.
      const asked = await ctx.withStore((s) => {
        ctx.runOf(s, run_id);
        return s.requestCancel(run_id);
      });
      return { cancelled: asked };
    },
  };
}

/** Where a run's loads go: target postgres with a connection named, or as asked. */
function targetFor(p: { target?: 'sqlite' | 'postgres'; connection?: string }): Target | undefined {
  try {
    return targetOf(p.target, p.connection);
  } catch (e) {
    throw new ApiFailure('bad_request', (e as Error).message);
  }
}
