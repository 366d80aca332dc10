/** The API's run methods: start, resume, backfill, cancel, list, get, and a run's recipes. */
import { backfill } from '../../orchestrator/backfill';
import { orderPipelines } from '../../orchestrator/graph';
import { daysBetween } from '../../orchestrator/run-date';
import {
  ApiFailure,
  apiPage,
  runSummary,
  taskSummary,
  type Handlers,
  type SluiceService,
} from '../api-service';

export function runHandlers(
  svc: SluiceService,
): Pick<
  Handlers,
  | 'runs.start'
  | 'runs.resume'
  | 'runs.backfill'
  | 'runs.cancel'
  | 'runs.list'
  | 'runs.get'
  | 'runs.recipe'
> {
  return {
    'runs.start': async (p) => {
      await svc.reload();
      return svc.startRun({
        pipelines: p.pipelines,
        downstream: !p.only,
        runDate: p.date,
        target: p.target,
      });
    },

    'runs.resume': async ({ run_id }) => {
      await svc.reload();
      return svc.startRun({ resume: run_id });
    },

    'runs.backfill': async (p) => {
      await svc.reload();
      const days = daysBetween(p.from, p.to);
      if (days.length > 366)
        throw new ApiFailure('bad_request', `${days.length} days: backfill a year at most at once`);
      orderPipelines(svc.project.pipelines, p.pipelines); // names every unknown pipeline now
      const cancel = new AbortController();
      const done = backfill(svc.project, svc.store(), {
        pipelines: p.pipelines,
        from: p.from,
        to: p.to,
        parallel: p.parallel,
        downstream: !p.only,
        dataDir: svc.opts.dataDir,
        allow: svc.opts.allow,
        password: svc.opts.password,
        signal: cancel.signal,
        hooksPerRun: () => svc.runHooks(),
      });
      svc.track(done, cancel);
      return { days };
    },

    'runs.cancel': async ({ run_id }) => {
      const c = svc.active.get(run_id);
      if (c) {
        c.abort();
        return { cancelled: true };
      }
      await svc.withStore((s) => svc.runOf(s, run_id)); // not_found when there is no such run
      return { cancelled: false };
    },

    'runs.list': async (p) =>
      svc.withStore((s) => {
        const page = s.listRuns({
          status: p.status,
          pipeline: p.pipeline,
          from: p.from,
          to: p.to,
          projectDir: svc.project.dir,
          page: p.page,
          pageSize: p.page_size,
        });
        return apiPage(page, runSummary);
      }),

    'runs.get': async ({ run_id }) =>
      svc.withStore((s) => {
        const r = svc.runOf(s, run_id);
        return { run: runSummary(r.run), tasks: r.tasks.map(taskSummary) };
      }),

    'runs.recipe': async ({ run_id, pipeline }) =>
      svc.withStore((s) => {
        const task = svc
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
