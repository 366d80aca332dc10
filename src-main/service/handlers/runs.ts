/** The API's run methods: start, resume, backfill, cancel, list, get. */
import { resolve } from 'node:path';
import { backfill } from '../../orchestrator/backfill';
import { orderPipelines } from '../../orchestrator/graph';
import { daysBetween } from '../../orchestrator/run-date';
import {
  ApiFailure,
  runSummary,
  taskSummary,
  type Handlers,
  type SluiceService,
} from '../api-service';

export function runHandlers(
  svc: SluiceService,
): Pick<
  Handlers,
  'runs.start' | 'runs.resume' | 'runs.backfill' | 'runs.cancel' | 'runs.list' | 'runs.get'
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
      const done = backfill(svc.project, {
        pipelines: p.pipelines,
        from: p.from,
        to: p.to,
        parallel: p.parallel,
        downstream: !p.only,
        storePath: svc.opts.storePath,
        dataDir: svc.opts.dataDir,
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
      if (!svc.withStore((s) => s.getRun(run_id)))
        throw new ApiFailure('not_found', `there is no run ${run_id}`);
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
        return {
          items: page.items.map(runSummary),
          page: page.page,
          page_size: page.pageSize,
          total: page.total,
          has_next: page.hasNext,
        };
      }),

    'runs.get': async ({ run_id }) =>
      svc.withStore((s) => {
        const r = s.getRun(run_id);
        if (!r || resolve(r.run.projectDir) !== svc.project.dir)
          throw new ApiFailure('not_found', `there is no run ${run_id} of this project`);
        return { run: runSummary(r.run), tasks: r.tasks.map(taskSummary) };
      }),
  };
}
